import { describe, expect, it } from 'vitest';
import { parseBoundedYaml } from './bounded-yaml.js';

const limits = { maxBytes: 10_000, maxDepth: 8, maxValues: 200, maxStringLength: 100 };
const refusal = (text: string) => {
  const result = parseBoundedYaml(text, limits);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(result.value)}`);
  return result.error;
};

describe('parseBoundedYaml', () => {
  it('reads mappings, sequences and YAML 1.2 core scalars as JSON data', () => {
    const result = parseBoundedYaml(
      'phases:\n  - name: warm-up\n    n: 3\n    on: true\n    at: 2026-12-02T12:00:00Z\n    x: ~\n',
      limits,
    );
    expect(result).toEqual({
      ok: true,
      value: { phases: [{ name: 'warm-up', n: 3, on: true, at: '2026-12-02T12:00:00Z', x: null }] },
    });
  });

  it('refuses a __proto__ key with its path and leaves prototypes alone', () => {
    const error = refusal('a:\n  __proto__:\n    polluted: 1\n');
    expect(error.code).toBe('invalid_body');
    expect(error.issues[0]?.path).toBe('/a/__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses duplicate keys, non-string keys and non-finite numbers', () => {
    expect(refusal('a: 1\na: 2\n').code).toBe('invalid_body');
    expect(refusal('1: x\n').issues[0]?.path).toBe('/');
    expect(refusal('a: [1, .inf]\n').issues[0]?.path).toBe('/a/1');
  });

  it('stops an alias bomb at maxValues instead of expanding it', () => {
    // Nine levels of ten aliases each would resolve to 10^9 values.
    const names = 'abcdefghi';
    const lines = [`a: &a [${Array(10).fill('x').join(', ')}]`];
    for (let i = 1; i < names.length; i++) {
      lines.push(
        `${names[i]}: &${names[i]} [${Array(10)
          .fill(`*${names[i - 1]}`)
          .join(', ')}]`,
      );
    }
    expect(refusal(lines.join('\n')).message).toMatch(/values|aliases/);
  });

  it('refuses documents over the byte, depth and string limits', () => {
    expect(refusal(`a: ${'x'.repeat(20_000)}`).code).toBe('invalid_body');
    expect(refusal('a: [[[[[[[[[1]]]]]]]]]').issues[0]?.path).toMatch(/^\/a/);
    expect(refusal(`a: ${'y'.repeat(150)}`).issues[0]?.path).toBe('/a');
  });

  it('refuses a megabyte of nesting or of keys in a linear pass, before composing it', () => {
    const big = { ...limits, maxBytes: 2_000_000 };
    const refused = (text: string) => {
      const result = parseBoundedYaml(text, big);
      if (result.ok) throw new Error('accepted');
      return result.error.message;
    };
    expect(refused('['.repeat(1_000_000))).toMatch(/nested deeper/);
    expect(refused(Array.from({ length: 60_000 }, (_, i) => `k${i}: 1`).join('\n'))).toMatch(/tokens/);
    // Brackets inside a quoted string are text, not nesting.
    expect(parseBoundedYaml(`a: "${'['.repeat(50)}"`, limits)).toEqual({
      ok: true,
      value: { a: '['.repeat(50) },
    });
  });

  it('reports a syntax error as invalid_body', () => {
    expect(refusal('a: [1, 2\n').code).toBe('invalid_body');
  });
});
