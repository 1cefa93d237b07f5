import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeSafetensors } from '../test-fixtures.js';
import { countParameters, decodeSafetensorsHeader, readSafetensorsHeader } from './safetensors-header.js';

describe('safetensors header', () => {
  it('counts parameters over every tensor and ignores __metadata__', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'st-'));
    try {
      const path = join(dir, 'model.safetensors');
      await writeFile(path, fakeSafetensors({ a: [3, 4], b: [5], c: [] }));
      const header = await readSafetensorsHeader(path);
      expect(header.ok).toBe(true);
      if (header.ok) expect(countParameters(header.value)).toBe(12 + 5 + 1);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('refuses a header length that runs past the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'st-'));
    try {
      const path = join(dir, 'bad.safetensors');
      const bytes = fakeSafetensors({ a: [2] });
      bytes.writeBigUInt64LE(BigInt(bytes.length));
      await writeFile(path, bytes);
      const header = await readSafetensorsHeader(path);
      expect(header.ok ? undefined : header.error.code).toBe('invalid_message');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('refuses malformed JSON and bad shapes', () => {
    const bad = (text: string) => {
      const result = decodeSafetensorsHeader(Buffer.from(text));
      return result.ok ? undefined : result.error.code;
    };
    expect(bad('{"a":')).toBe('invalid_message');
    expect(bad('[]')).toBe('invalid_message');
    expect(bad('{"a":{"dtype":"F32","shape":[-1]}}')).toBe('invalid_message');
    expect(bad('{"a":{"dtype":"F32","shape":"2x2"}}')).toBe('invalid_message');
  });

  it('refuses untrusted header shapes: huge, nested, duplicate, __proto__, NaN-ish and overflowing', () => {
    const code = (text: string, dataBytes?: number) => {
      const result = decodeSafetensorsHeader(Buffer.from(text), dataBytes);
      return result.ok ? 'ok' : result.error.code;
    };
    const entry = (extra: Record<string, unknown> = {}) => ({
      dtype: 'F32',
      shape: [2],
      data_offsets: [0, 8],
      ...extra,
    });
    expect(code(JSON.stringify({ a: entry() }), 8)).toBe('ok');
    expect(code(`{"a":${JSON.stringify(entry())},"x":[${'0,'.repeat(5_000_000)}0]}`)).toBe('invalid_message');
    expect(code(`{"a":${'['.repeat(100_000)}`)).toBe('invalid_message');
    expect(code(`{"a":${JSON.stringify(entry())},"a":${JSON.stringify(entry())}}`, 8)).toBe(
      'invalid_message',
    );
    expect(code(`{"__proto__":${JSON.stringify(entry())}}`, 8)).toBe('invalid_message');
    expect(code('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,1e999]}}', 8)).toBe('invalid_message');
    expect(code(JSON.stringify({ a: entry({ data_offsets: [0, 2 ** 53] }) }))).toBe('invalid_message');
    expect(code(JSON.stringify({ a: entry({ data_offsets: [-8, 0] }) }))).toBe('invalid_message');
    expect(code(JSON.stringify({ a: entry({ data_offsets: [0, 16] }) }), 8)).toBe('invalid_message');
    expect(code(JSON.stringify({ a: entry({ shape: [2 ** 30, 2 ** 30, 2 ** 30] }) }))).toBe(
      'invalid_message',
    );
    expect(code(JSON.stringify({ a: entry({ shape: [2.5] }) }))).toBe('invalid_message');
    expect(code(JSON.stringify({ a: entry({ dtype: 'constructor' }) }))).toBe('invalid_message');
    expect(code(JSON.stringify({ a: entry(), b: entry() }), 16)).toBe('invalid_message');
    expect(code(JSON.stringify({ a: entry({ data_offsets: [8, 16] }) }), 16)).toBe('invalid_message');
    expect(code(JSON.stringify({ a: entry() }), 12)).toBe('invalid_message');
    expect(code(JSON.stringify({ a: entry(), __metadata__: { k: 1 } }), 8)).toBe('invalid_message');
    expect(code(JSON.stringify({ [`${'n'.repeat(70_000)}`]: entry() }), 8)).toBe('invalid_message');
  });

  it('refuses header lengths of 2^64-1 and 2^32-1, and data_offsets past the file, without reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'st-'));
    try {
      const path = join(dir, 'bad.safetensors');
      for (const length of [2n ** 64n - 1n, 2n ** 32n - 1n, 9n * 1024n * 1024n]) {
        const bytes = fakeSafetensors({ a: [2] });
        bytes.writeBigUInt64LE(length);
        await writeFile(path, bytes);
        const header = await readSafetensorsHeader(path);
        expect(header.ok ? undefined : header.error.code).toBe('invalid_message');
      }
      const short = fakeSafetensors({ a: [4] });
      await writeFile(path, short.subarray(0, short.length - 4));
      const header = await readSafetensorsHeader(path);
      expect(header.ok ? undefined : header.error.code).toBe('invalid_message');
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
