import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBundlePins } from './pinned-bundles.js';

describe('pinned bundles', () => {
  it('survives concurrent pins of one job (bytes and files) and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pins-'));
    try {
      const source = join(dir, 'source.bundle');
      await writeFile(source, 'bundle bytes');
      const pins = createBundlePins(join(dir, 'jobs'));
      await Promise.all([
        ...Array.from({ length: 5 }, () => pins.pin('job_a', { kind: 'file', path: source })),
        ...Array.from({ length: 5 }, () =>
          pins.pin('job_a', { kind: 'bytes', bytes: Buffer.from('bundle bytes') }),
        ),
      ]);
      expect(await readFile(pins.path('job_a'), 'utf8')).toBe('bundle bytes');
      expect(await readdir(join(dir, 'jobs', 'job_a'))).toEqual(['base-model.bundle']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
