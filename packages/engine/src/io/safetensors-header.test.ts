import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from './safetensors.js';
import { countTensorElements, decodeSafetensorsHeader, readSafetensorsHeader } from './safetensors-header.js';

const file = (shapes: Record<string, number[]>) =>
  Buffer.from(
    encodeSafetensors(
      Object.entries(shapes).map(([name, shape]) => [
        name,
        { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) },
      ]),
      { format: 'pt' },
    ),
  );

async function withFile<T>(bytes: Uint8Array, run: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'st-header-'));
  try {
    const path = join(dir, 'model.safetensors');
    await writeFile(path, bytes);
    return await run(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const code = (text: string, dataBytes = 8) => {
  const result = decodeSafetensorsHeader(Buffer.from(text), dataBytes);
  return result.ok ? 'ok' : result.error.code;
};
const entry = (extra: Record<string, unknown> = {}) => ({
  dtype: 'F32',
  shape: [2],
  data_offsets: [0, 8],
  ...extra,
});

describe('safetensors header', () => {
  it('reads only the header of a file and counts every tensor’s elements, metadata aside', async () => {
    const header = await withFile(file({ a: [3, 4], b: [5], c: [] }), readSafetensorsHeader);
    if (!header.ok) throw new Error(header.error.code);
    expect(countTensorElements(header.value)).toBe(12 + 5 + 1);
    expect(header.value.metadata).toEqual({ format: 'pt' });
    expect(header.value.entries.map((e) => e.name)).toEqual(['a', 'b', 'c']);
  });

  it('refuses header lengths past the limit or the file (2^64-1, 2^32-1, 9 MiB) and a cut file, unread', async () => {
    for (const length of [2n ** 64n - 1n, 2n ** 32n - 1n, 9n * 1024n * 1024n]) {
      const bytes = file({ a: [2] });
      bytes.writeBigUInt64LE(length);
      const header = await withFile(bytes, readSafetensorsHeader);
      expect(header.ok ? 'ok' : header.error.code).toMatch(/^(header_too_large|truncated)$/);
    }
    const whole = file({ a: [4] });
    const cut = await withFile(whole.subarray(0, whole.length - 4), readSafetensorsHeader);
    expect(cut.ok ? 'ok' : cut.error.code).toBe('out_of_range');
    const runsPast = file({ a: [2] });
    runsPast.writeBigUInt64LE(BigInt(runsPast.length));
    expect(await withFile(runsPast, async (path) => (await readSafetensorsHeader(path)).ok)).toBe(false);
  });

  it('refuses untrusted header shapes with a code each', () => {
    expect(code(JSON.stringify({ a: entry() }))).toBe('ok');
    expect(code('{"a":')).toBe('header_not_json');
    expect(code('[]')).toBe('header_not_object');
    expect(code(`{"a":${'['.repeat(100_000)}`)).toBe('header_too_deep');
    expect(code(`{"a":${JSON.stringify(entry())},"a":${JSON.stringify(entry())}}`)).toBe('duplicate_key');
    expect(code(`{"__proto__":${JSON.stringify(entry())}}`)).toBe('invalid_entry');
    expect(code('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,1e999]}}')).toBe('header_not_json');
    expect(code(JSON.stringify({ a: entry({ shape: [-1] }) }))).toBe('invalid_shape');
    expect(code(JSON.stringify({ a: entry({ shape: '2x2' }) }))).toBe('invalid_shape');
    expect(code(JSON.stringify({ a: entry({ shape: [2.5] }) }))).toBe('invalid_shape');
    expect(code(JSON.stringify({ a: entry({ shape: Array(17).fill(1) }) }))).toBe('invalid_shape');
    expect(code(JSON.stringify({ a: entry({ shape: [2 ** 30, 2 ** 30, 2 ** 30] }) }))).toBe('invalid_shape');
    expect(code(JSON.stringify({ a: entry({ data_offsets: [0, 2 ** 53] }) }))).toBe('invalid_offsets');
    expect(code(JSON.stringify({ a: entry({ data_offsets: [-8, 0] }) }))).toBe('invalid_offsets');
    expect(code(JSON.stringify({ a: entry({ data_offsets: [0, 16] }) }))).toBe('out_of_range');
    expect(code(JSON.stringify({ a: entry({ dtype: 'constructor' }) }))).toBe('unknown_dtype');
    expect(code(JSON.stringify({ a: entry(), b: entry() }), 16)).toBe('overlapping_data');
    expect(code(JSON.stringify({ a: entry({ data_offsets: [8, 16] }) }), 16)).toBe('gap_in_data');
    expect(code(JSON.stringify({ a: entry() }), 12)).toBe('trailing_bytes');
    expect(code(JSON.stringify({ a: entry(), __metadata__: { k: 1 } }))).toBe('invalid_metadata');
    expect(code(JSON.stringify({ a: entry({ dtype: 'F8_E4M3', data_offsets: [0, 2] }) }), 2)).toBe('ok');
  });
});
