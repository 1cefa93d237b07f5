import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBundle } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createTempDirs, writeTinyModel } from '../test-fixtures.js';
import { createFileModelCatalog } from './file-model-catalog.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('file model catalog', () => {
  it('resolves a model dir to family, parameter count, weight hash and a decodable bundle', async () => {
    await using dirs = await createTempDirs();
    const catalog = createFileModelCatalog({
      modelsDir: join(dirs.root, 'models'),
      cacheDir: join(dirs.root, 'cache'),
    });
    const model = await catalog.resolve('tiny');
    expect(model).toMatchObject({ id: 'tiny', family: 'gpt2', parameterCount: 16 * 4 + 8 * 4 });
    const weights = await readFile(join(dirs.root, 'models', 'tiny', 'model.safetensors'));
    expect(model?.weightsSha256).toBe(sha(weights));
    if (model?.bundle.kind !== 'file') throw new Error('expected a file bundle');
    const bundle = await readFile(model.bundle.path);
    expect(sha(bundle)).toBe(model.bundleSha256);
    expect(bundle.byteLength).toBe(model.bundleBytes);
    const files = decodeBundle(bundle);
    expect(files.ok && files.value.map((file) => file.name)).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer.json',
    ]);
    expect(await catalog.list()).toEqual([
      expect.objectContaining({ id: 'tiny', bundleSha256: model.bundleSha256 }),
    ]);
  });

  it('gives undefined for unknown or path-like ids and refuses a config without model_type', async () => {
    await using dirs = await createTempDirs();
    const modelsDir = join(dirs.root, 'models');
    const catalog = createFileModelCatalog({ modelsDir, cacheDir: join(dirs.root, 'cache') });
    expect(await catalog.resolve('nope')).toBeUndefined();
    expect(await catalog.resolve('../models/tiny')).toBeUndefined();
    expect(await catalog.resolve('..')).toBeUndefined();
    await writeTinyModel(modelsDir, 'broken');
    await writeFile(join(modelsDir, 'broken', 'config.json'), '{}');
    await expect(catalog.resolve('broken')).rejects.toMatchObject({ code: 'unknown_model' });
    expect((await catalog.list()).map((model) => model.id)).toEqual(['tiny']);
  });

  it('rebuilds the bundle when the weights change', async () => {
    await using dirs = await createTempDirs();
    const modelsDir = join(dirs.root, 'models');
    const catalog = createFileModelCatalog({ modelsDir, cacheDir: join(dirs.root, 'cache') });
    const before = await catalog.resolve('tiny');
    // New values, same tensors and the same file size: as a fine-tune would leave them.
    const weightsPath = join(modelsDir, 'tiny', 'model.safetensors');
    const weights = await readFile(weightsPath);
    weights.writeFloatLE(0.5, weights.byteLength - 4);
    await writeFile(weightsPath, weights);
    const after = await catalog.resolve('tiny');
    expect(after?.weightsSha256).toBe(sha(weights));
    expect(after?.weightsSha256).not.toBe(before?.weightsSha256);
    expect(after?.parameterCount).toBe(before?.parameterCount);
    if (after?.bundle.kind !== 'file') throw new Error('expected a file bundle');
    const bundle = await readFile(after.bundle.path);
    expect(sha(bundle)).toBe(after.bundleSha256);
    expect(after.bundleSha256).not.toBe(before?.bundleSha256);
    const files = decodeBundle(bundle);
    const packed = files.ok ? files.value.find((file) => file.name === 'model.safetensors') : undefined;
    expect(packed && sha(packed.data)).toBe(sha(weights));
  });
});

describe('file model catalog under concurrency', () => {
  it('builds a model once for ten concurrent resolves on a fresh cache and leaves no temp file', async () => {
    await using dirs = await createTempDirs();
    const cacheDir = join(dirs.root, 'cache');
    const catalog = createFileModelCatalog({ modelsDir: join(dirs.root, 'models'), cacheDir });
    const models = await Promise.all(Array.from({ length: 10 }, () => catalog.resolve('tiny')));
    expect(new Set(models).size).toBe(1);
    expect(await readdir(cacheDir)).toEqual([`${models[0]?.bundleSha256}.bundle`]);
  });

  it('lets two catalogs (two processes) build the same bundle at once', async () => {
    await using dirs = await createTempDirs();
    const cacheDir = join(dirs.root, 'cache');
    const catalogs = Array.from({ length: 5 }, () =>
      createFileModelCatalog({ modelsDir: join(dirs.root, 'models'), cacheDir }),
    );
    const models = await Promise.all(catalogs.map((catalog) => catalog.resolve('tiny')));
    expect(new Set(models.map((model) => model?.bundleSha256)).size).toBe(1);
    expect(await readdir(cacheDir)).toEqual([`${models[0]?.bundleSha256}.bundle`]);
  });
});
