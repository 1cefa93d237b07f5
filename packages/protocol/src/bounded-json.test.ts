import { describe, expect, it } from 'vitest';
import { type JsonLimits, parseBoundedJson } from './bounded-json.js';

const limits: JsonLimits = { maxBytes: 1 << 20, maxDepth: 4, maxValues: 1000, maxStringLength: 200 };
const parse = (text: string | Uint8Array, given: Partial<JsonLimits> = {}) =>
  parseBoundedJson(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, { ...limits, ...given });
const code = (text: string | Uint8Array, given: Partial<JsonLimits> = {}) => {
  const result = parse(text, given);
  return result.ok ? 'ok' : result.error.code;
};
// Where and why a document was refused: the key/index path, its pointer in the issue, and the reason.
const refusal = (text: string, given: Partial<JsonLimits> = {}) => {
  const result = parse(text, given);
  if (result.ok) return 'ok';
  const { path, reason, issues } = result.error;
  return { path, reason, pointers: issues.map((issue) => issue.path) };
};

describe('bounded JSON', () => {
  it('parses what JSON.parse parses, escapes and unicode included', () => {
    for (const text of [
      '{"a":[1,-2.5e3,true,false,null,"x\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"],"b":{}}',
      ' [ ] ',
      '"héllo ✓"',
      '0',
      '{"a":{"b":{"c":[]}}}',
    ]) {
      const result = parse(text);
      expect(result.ok ? result.value : result.error, text).toEqual(JSON.parse(text));
    }
  });

  it('refuses malformed JSON without throwing', () => {
    for (const text of [
      '',
      '{',
      '{"a":}',
      '[1,]',
      '[01]',
      '{"a" 1}',
      "{'a':1}",
      '"\u0001"',
      '"\\x"',
      '"\\u12"',
      'tru',
      '[1] 2',
      'NaN',
      '[Infinity]',
      '-',
      '1.',
      '"unterminated',
    ]) {
      expect(code(text), text).toBe('invalid_message');
    }
  });

  it('refuses input over the byte limit before decoding it', () => {
    expect(code('[0,0,0]', { maxBytes: 6 })).toBe('invalid_message');
    expect(code('[0,0,0]', { maxBytes: 7 })).toBe('ok');
  });

  it('refuses deep nesting at the limit, long before the end of the input', () => {
    expect(code('[[[[1]]]]')).toBe('ok');
    expect(code('[[[[[1]]]]]')).toBe('invalid_message');
    const deep = '['.repeat(5_000_000);
    expect(code(deep, { maxBytes: 10_000_000 })).toBe('invalid_message');
  });

  it('refuses a huge flat array by value count (the V8 invalid-size crash shape)', () => {
    const huge = `[${'0,'.repeat(2_000_000)}0]`;
    expect(code(huge, { maxBytes: 10_000_000 })).toBe('invalid_message');
  });

  it('refuses long strings and keys, long numbers and non-finite numbers', () => {
    expect(code(JSON.stringify('x'.repeat(200)))).toBe('ok');
    expect(code(JSON.stringify('x'.repeat(201)))).toBe('invalid_message');
    expect(code(JSON.stringify({ ['k'.repeat(201)]: 1 }))).toBe('invalid_message');
    expect(code(`"${'\\u0041'.repeat(201)}"`)).toBe('invalid_message');
    expect(code('1e999')).toBe('invalid_message');
    expect(code('-1e999')).toBe('invalid_message');
    expect(code('1'.repeat(33))).toBe('invalid_message');
    expect(code(`${'1'.repeat(20)}`)).toBe('ok');
  });

  it('refuses duplicate keys and __proto__ keys', () => {
    expect(code('{"a":1,"a":2}')).toBe('invalid_message');
    expect(code('{"a":{"b":1},"c":{"b":2}}')).toBe('ok');
    expect(code('{"__proto__":{"polluted":true}}')).toBe('invalid_message');
    expect(code('{"\\u005f_proto__":{}}')).toBe('invalid_message');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses invalid UTF-8 with its own code', () => {
    expect(code(Uint8Array.from([0x22, 0xff, 0x22]))).toBe('invalid_utf8');
    expect(code(Uint8Array.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toBe('invalid_utf8');
  });

  it('says where a key was refused: the path to the key itself', () => {
    expect(refusal('{"__proto__":1}')).toEqual({
      path: ['__proto__'],
      reason: 'forbidden_key',
      pointers: ['/__proto__'],
    });
    expect(refusal('{"a":{"b":[1,{"__proto__":"x"}]}}')).toEqual({
      path: ['a', 'b', '1', '__proto__'],
      reason: 'forbidden_key',
      pointers: ['/a/b/1/__proto__'],
    });
    expect(refusal('{"a":{"k":1,"k":2}}')).toEqual({
      path: ['a', 'k'],
      reason: 'duplicate_key',
      pointers: ['/a/k'],
    });
  });

  it('says where a value was refused, after siblings that parsed', () => {
    expect(refusal('{"ok":[1,2],"x":[[0,[[[1]]]]]}')).toEqual({
      path: ['x', '0', '1', '0'],
      reason: 'too_deep',
      pointers: ['/x/0/1/0'],
    });
    expect(refusal(`{"a":"s","b":["${'x'.repeat(201)}"]}`)).toMatchObject({
      path: ['b', '0'],
      reason: 'too_long',
    });
    expect(refusal('[0,1,1e999]')).toMatchObject({ path: ['2'], reason: 'non_finite' });
    expect(refusal('{"a":[1,2,3]}', { maxValues: 3 })).toMatchObject({
      path: ['a', '1'],
      reason: 'too_many_values',
    });
  });

  it('reports the root for document-level refusals and escapes keys in the pointer', () => {
    expect(refusal('[1] 2')).toEqual({ path: [], reason: 'syntax', pointers: ['/'] });
    expect(refusal('[0,0]', { maxBytes: 4 })).toEqual({ path: [], reason: 'too_large', pointers: ['/'] });
    expect(refusal('{"a/b":{"c~d":tru}}')).toEqual({
      path: ['a/b', 'c~d'],
      reason: 'syntax',
      pointers: ['/a~1b/c~0d'],
    });
    const utf8 = parseBoundedJson(Uint8Array.from([0x22, 0xff, 0x22]), limits);
    expect(!utf8.ok && [utf8.error.reason, utf8.error.path]).toEqual(['invalid_utf8', []]);
  });
});
