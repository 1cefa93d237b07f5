import { describe, expect, it } from 'vitest';
import { decodeColumnMapping } from './column-mapping.js';

describe('decodeColumnMapping', () => {
  it('decodes an instruction mapping and a text mapping', () => {
    expect(decodeColumnMapping({ input: 'q', output: 'a' })).toEqual({
      ok: true,
      value: { kind: 'instruct', input: 'q', output: 'a' },
    });
    expect(decodeColumnMapping({ text: 'body' })).toEqual({
      ok: true,
      value: { kind: 'text', text: 'body' },
    });
  });

  it('refuses unknown keys, non-strings and a missing output', () => {
    const result = decodeColumnMapping({ input: 3, colour: 'x' });
    expect(!result.ok && result.error.issues.map((issue) => issue.code).sort()).toEqual([
      'missing_key',
      'not_a_string',
      'unknown_key',
    ]);
    expect(!decodeColumnMapping('x').ok).toBe(true);
  });
});
