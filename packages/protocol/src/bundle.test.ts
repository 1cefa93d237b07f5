import { describe, expect, it } from 'vitest';
import {
  BUNDLE_PREFIX_BYTES,
  decodeBundle,
  decodeBundleHeader,
  decodeBundlePrefix,
  encodeBundle,
  MAX_BUNDLE_HEADER_BYTES,
} from './bundle.js';

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
      expect([...decoded.value[1]!.data]).toEqual([1, 2, 3, 4]);
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

describe('untrusted bundle headers', () => {
  const raw = (header: string | Buffer, data: Uint8Array = new Uint8Array(3), declared?: number) => {
    const json = typeof header === 'string' ? Buffer.from(header) : header;
    const length = Buffer.alloc(4);
    length.writeUInt32LE(declared ?? json.byteLength);
    return Buffer.concat([Buffer.from('TABUNDLE1\n'), length, json, data]);
  };
  const code = (bytes: Uint8Array) => {
    const result = decodeBundle(bytes);
    return result.ok ? 'ok' : result.error.code;
  };
  const one = (entry: Record<string, unknown>) =>
    JSON.stringify([{ name: 'a.bin', offset: 0, length: 3, ...entry }]);

  it('accepts a well-formed header', () => {
    expect(code(raw(one({})))).toBe('ok');
  });

  it('refuses a declared header length over the limit without reading it (2^32-1, 270 MB)', () => {
    expect(code(raw('[]', new Uint8Array(), 2 ** 32 - 1))).toBe('invalid_message');
    expect(code(raw('[]', new Uint8Array(), 270_000_000))).toBe('invalid_message');
    expect(code(raw('[]', new Uint8Array(), MAX_BUNDLE_HEADER_BYTES + 1))).toBe('invalid_message');
    const prefix = decodeBundlePrefix(
      raw('[]', new Uint8Array(), 2 ** 32 - 1).subarray(0, BUNDLE_PREFIX_BYTES),
    );
    expect(prefix.ok).toBe(false);
  });

  it('refuses a huge array or deep nesting that fits the byte limit', () => {
    const zeros = `[${'0,'.repeat(MAX_BUNDLE_HEADER_BYTES / 2 - 2)}0]`;
    expect(Buffer.byteLength(zeros)).toBeLessThanOrEqual(MAX_BUNDLE_HEADER_BYTES);
    expect(code(raw(zeros, new Uint8Array()))).toBe('invalid_message');
    const deep = '['.repeat(MAX_BUNDLE_HEADER_BYTES);
    expect(code(raw(deep, new Uint8Array()))).toBe('invalid_message');
    expect(
      code(
        raw(`[${'{"name":"a.bin","offset":0,"length":0},'.repeat(64)}{"name":"b","offset":0,"length":0}]`),
      ),
    ).toBe('invalid_message');
  });

  it('refuses a header longer than the file, and a file shorter than its prefix', () => {
    expect(code(raw(one({}), new Uint8Array(), 4000))).toBe('invalid_message');
    expect(code(Buffer.from('TABUNDLE1\n\u0001'))).toBe('invalid_message');
  });

  it('refuses bad numbers: negative, fractional, huge, non-finite, strings, overlapping and out of range', () => {
    for (const entry of [
      { offset: -1 },
      { length: -3 },
      { length: 1.5 },
      { length: 2 ** 53 },
      { offset: '0' },
      { length: null },
      { length: 4 },
    ]) {
      expect(code(raw(one(entry))), JSON.stringify(entry)).toBe('invalid_message');
    }
    expect(code(raw('[{"name":"a.bin","offset":0,"length":1e999}]'))).toBe('invalid_message');
    expect(code(raw('[{"name":"a.bin","offset":0,"length":3000000000000000000000}]'))).toBe(
      'invalid_message',
    );
    const overlap = '[{"name":"a.bin","offset":0,"length":2},{"name":"b.bin","offset":1,"length":2}]';
    expect(code(raw(overlap))).toBe('invalid_message');
  });

  it('refuses duplicate keys, __proto__ keys, unknown keys, duplicate names and long names', () => {
    expect(code(raw('[{"name":"a.bin","name":"../x","offset":0,"length":3}]'))).toBe('invalid_message');
    expect(code(raw('[{"__proto__":{},"name":"a.bin","offset":0,"length":3}]'))).toBe('invalid_message');
    expect(code(raw(one({ extra: 'x'.repeat(100) })))).toBe('invalid_message');
    const dup = '[{"name":"a.bin","offset":0,"length":1},{"name":"a.bin","offset":1,"length":2}]';
    expect(code(raw(dup))).toBe('invalid_message');
    expect(code(raw(one({ name: 'a'.repeat(129) })))).toBe('invalid_message');
    expect(code(raw(one({ name: 'a'.repeat(100_000) })))).toBe('invalid_message');
    expect(code(raw(one({ name: 'con\u0000.bin' })))).toBe('invalid_artifact_name');
    expect(code(raw('{"name":"a.bin"}'))).toBe('invalid_message');
    expect(code(raw('[1]'))).toBe('invalid_message');
  });

  it('checks a layout from the header and the file size alone', () => {
    const bytes = Buffer.from(encodeBundle(files));
    const headerBytes = bytes.readUInt32LE(10);
    const header = bytes.subarray(BUNDLE_PREFIX_BYTES, BUNDLE_PREFIX_BYTES + headerBytes);
    const layout = decodeBundleHeader(header, bytes.byteLength);
    expect(layout.ok && layout.value.entries.map((e) => e.name)).toEqual([
      'config.json',
      'model.safetensors',
    ]);
    expect(decodeBundleHeader(header, bytes.byteLength + 1).ok).toBe(false);
    expect(decodeBundleHeader(header, bytes.byteLength - 1).ok).toBe(false);
  });
});
