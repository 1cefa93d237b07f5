import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

function file(header: string, dataBytes: number, headerLenOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, headerLenOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const code = (bytes: Uint8Array) => {
  const r = decodeSafetensors(bytes);
  return r.ok ? 'ok' : r.error.code;
};
const entry = '{"dtype":"F32","shape":[2],"data_offsets":[0,8]}';

describe('safetensors headers from untrusted files', () => {
  it('refuses a header over the 8 MiB default before parsing it (a huge array of zeros)', () => {
    const zeros = `{"t":${entry},"x":[${'0,'.repeat(4_300_000)}0]}`;
    expect(code(file(zeros, 8))).toBe('header_too_large');
    expect(code(file(`{"t":${entry}}`, 8, 2n ** 64n - 1n))).toBe('header_too_large');
    expect(code(file(`{"t":${entry}}`, 8, 2n ** 32n - 1n))).toBe('header_too_large');
  });

  it('refuses deep nesting before JSON.parse sees it, ignoring brackets inside strings', () => {
    expect(code(file(`{"t":${entry},"x":${'['.repeat(1_000_000)}}`, 8))).toBe('header_too_deep');
    expect(code(file(`{"t":${entry},"__metadata__":{"k":"[[[[{{{{\\"]]"}}`, 8))).toBe('ok');
  });

  it('refuses duplicate keys at any level and __proto__ keys', () => {
    expect(code(file(`{"t":${entry},"t":${entry}}`, 8))).toBe('duplicate_key');
    expect(code(file('{"t":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}', 8))).toBe(
      'duplicate_key',
    );
    expect(code(file(`{"__proto__":${entry}}`, 8))).toBe('invalid_entry');
    expect(code(file(`{"t":${entry},"__metadata__":{"__proto__":"x"}}`, 8))).toBe('invalid_metadata');
  });

  it('blames a __proto__ key on the part it sits in, however it is spelled', () => {
    const nested = '{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"__proto__":{}}}';
    expect(code(file(nested, 8))).toBe('invalid_entry');
    expect(code(file(`{"__metadata__":{"a":"b","\\u005f_proto__":"x"},"t":${entry}}`, 8))).toBe(
      'invalid_metadata',
    );
    expect(code(file(`{"t":${entry},"__metadata__":{"k":"a","k":"b"}}`, 8))).toBe('duplicate_key');
  });

  it('refuses a header that is not UTF-8 JSON', () => {
    // A lone 0xe9 (Latin-1 é) inside a metadata string.
    const bytes = file(`{"t":${entry},"__metadata__":{"k":"?"}}`, 8);
    bytes[bytes.indexOf(0x3f)] = 0xe9;
    expect(code(bytes)).toBe('header_not_json');
  });

  it('still decodes what the engine writes', () => {
    const bytes = encodeSafetensors([['w', { shape: [2], data: new Float32Array([1, 2]) }]], {
      format: 'pt',
    });
    expect(code(bytes)).toBe('ok');
  });
});
