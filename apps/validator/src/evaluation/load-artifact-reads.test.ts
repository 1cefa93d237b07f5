// The safetensors header length is checked from disk before the file is read: a hostile length never makes
// the validator load the weights file (the engine's decoder would refuse it too, but only after the read).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const reads = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    readFile: (path: string, ...rest: unknown[]) => {
      reads.push(String(path));
      return (actual.readFile as (...args: unknown[]) => unknown)(path, ...rest);
    },
  };
});

const { loadBaseModel } = await import('./base-model.js');
const { loadArtifact } = await import('./load-artifact.js');
const { changedAdapter, hugeHeaderSafetensors, loraFiles, tempDir, tinyModel, writeBase } = await import(
  './test-artifacts.js'
);

describe('loadArtifact reads', () => {
  it('refuses a 2^64 − 1 header length without reading the weights file', async () => {
    await using tmp = await tempDir();
    const base = await loadBaseModel(await writeBase(join(tmp.path, 'base'), tinyModel()));
    const dir = join(tmp.path, 'artifact');
    await mkdir(dir);
    await writeFile(join(dir, 'adapter_config.json'), loraFiles(changedAdapter())[0]!.data);
    await writeFile(join(dir, 'adapter_model.safetensors'), hugeHeaderSafetensors());
    reads.length = 0;
    const result = await loadArtifact(
      dir,
      ['adapter_config.json', 'adapter_model.safetensors'],
      'lora',
      base,
    );
    expect(result.ok ? 'ok' : result.error.code).toBe('safetensors_header_too_large');
    expect(reads.filter((path) => path.endsWith('.safetensors'))).toEqual([]);
  });
});
