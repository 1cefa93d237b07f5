import { describe, expect, it } from 'vitest';
import { decodeBundle, encodeBundle } from './bundle.js';

const files = [
  { name: 'model.safetensors', data: new Uint8Array([1, 2, 3, 4]) },
  { name: 'config.json', data: Buffer.from('{"model_type":"gpt2"}') },
];

function withHeader(entries: unknown): Uint8Array {
  const header = Buffer.from(JSON.stringify(entries));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.byteLength);
  return Buffer.concat([Buffer.from('TABUNDLE1\n'), length, header, Buffer.from([9, 9, 9])]);
}

describe('artifact bundles', () => {
  it('round-trips files regardless of input order, byte for byte', () => {
    const a = encodeBundle(files);
    const b = encodeBundle([...files].reverse());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const decoded = decodeBundle(a);
    expect(decoded.ok).toBe(true);
    if (decoded.ok) {
      expect(decoded.value.map((file) => file.name)).toEqual(['config.json', 'model.safetensors']);
      expect([...decoded.value[1].data]).toEqual([1, 2, 3, 4]);
    }
  });

  it('refuses path-like names when encoding', () => {
    expect(() => encodeBundle([{ name: '../evil', data: new Uint8Array() }])).toThrow(TypeError);
  });

  it('refuses a path-like name inside a bundle', () => {
    const result = decodeBundle(withHeader([{ name: '../../etc/passwd', offset: 0, length: 3 }]));
    expect(result.ok ? undefined : result.error.code).toBe('invalid_artifact_name');
  });

  it('refuses out-of-range data, bad magic and trailing bytes', () => {
    const outOfRange = decodeBundle(withHeader([{ name: 'a.bin', offset: 0, length: 99 }]));
    expect(outOfRange.ok ? undefined : outOfRange.error.code).toBe('invalid_message');
    const badMagic = decodeBundle(Buffer.from('PK\u0003\u0004 not a bundle'));
    expect(badMagic.ok ? undefined : badMagic.error.code).toBe('invalid_message');
    const trailing = decodeBundle(withHeader([{ name: 'a.bin', offset: 0, length: 2 }]));
    expect(trailing.ok ? undefined : trailing.error.code).toBe('invalid_message');
  });

  it('refuses a bundle over the size limit', () => {
    const result = decodeBundle(encodeBundle(files), 10);
    expect(result.ok ? undefined : result.error.code).toBe('artifact_too_large');
  });
});
