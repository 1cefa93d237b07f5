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
});
