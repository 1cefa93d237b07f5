import { describe, expect, it } from 'vitest';
import { type JsonLimits, parseBoundedJson } from './bounded-json.js';

const limits: JsonLimits = { maxBytes: 1 << 20, maxDepth: 4, maxValues: 1000, maxStringLength: 200 };
const parse = (text: string | Uint8Array, given: Partial<JsonLimits> = {}) =>
  parseBoundedJson(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, { ...limits, ...given });
const code = (text: string | Uint8Array, given: Partial<JsonLimits> = {}) => {
  const result = parse(text, given);
  return result.ok ? 'ok' : result.error.code;
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
});
