import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBundle } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { checkBundleFile } from './bundle-file.js';

const GiB = 1024 ** 3;

/** A sparse bundle file of one `dataBytes`-byte entry (the data is a hole: no disk, no reads needed). */
async function sparseBundle(path: string, dataBytes: number): Promise<void> {
  const header = Buffer.from(JSON.stringify([{ name: 'model.safetensors', offset: 0, length: dataBytes }]));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.byteLength);
  const prefix = Buffer.concat([Buffer.from('TABUNDLE1\n'), length, header]);
  const handle = await open(path, 'w');
  try {
    await handle.write(prefix, 0, prefix.byteLength, 0);
    await handle.truncate(prefix.byteLength + dataBytes);
  } finally {
    await handle.close();
  }
}

describe('bundle files on disk', () => {
  it('checks a 2 GiB bundle by reading only its prefix and header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bundle-file-'));
    try {
      const path = join(dir, 'big.bundle');
      await sparseBundle(path, 2 * GiB);
      const before = process.memoryUsage();
      const layout = await checkBundleFile(path);
      const after = process.memoryUsage();
      expect(layout.ok && layout.value.entries).toEqual([
        { name: 'model.safetensors', offset: 0, length: 2 * GiB },
      ]);
      const grownMiB = (after.rss - before.rss + after.arrayBuffers - before.arrayBuffers) / 2 ** 20;
      console.log(`checking a 2 GiB bundle grew rss + arrayBuffers by ${grownMiB.toFixed(1)} MiB`);
      expect(grownMiB).toBeLessThan(256);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file cut short, a bad magic and an empty file, and accepts what encodeBundle writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bundle-file-'));
    try {
      const path = join(dir, 'x.bundle');
      const good = Buffer.from(encodeBundle([{ name: 'a.bin', data: new Uint8Array(100) }]));
      await writeFile(path, good);
      expect((await checkBundleFile(path)).ok).toBe(true);
      for (const bytes of [
        good.subarray(0, good.length - 1),
        good.subarray(0, 20),
        Buffer.alloc(0),
        Buffer.from('PK\u0003\u0004'),
      ]) {
        await writeFile(path, bytes);
        const result = await checkBundleFile(path);
        expect(result.ok ? 'ok' : result.error.code).toBe('invalid_message');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
