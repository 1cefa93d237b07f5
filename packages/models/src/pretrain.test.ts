import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelDir } from '@tuning-arena/engine';
import { afterAll, describe, expect, it } from 'vitest';
import type { BaseModelSpec } from './base-models.js';
import { listBaseModels, locateBaseModel } from './model-store.js';
import { pretrainBaseModel } from './pretrain.js';

const TINY: BaseModelSpec = {
  name: 'tiny-test',
  preset: 'nano',
  overrides: { nLayer: 1, nEmbd: 16, nHead: 2, nPositions: 32 },
  corpus: ['moby-dick'],
  seed: 7,
  steps: 60,
  batchSize: 8,
  learningRate: 1e-2,
  description: 'test only',
};

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arena-models-'));
  dirs.push(dir);
  return dir;
};

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('pretrainBaseModel', () => {
  it('lowers held-out loss below random init, deterministically for a seed, and pins the weights', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    const first = await pretrainBaseModel(TINY, { modelsDir: a });
    expect(first.heldOutLoss).toBeLessThan(first.randomInitLoss - 0.5);
    const again = await pretrainBaseModel(TINY, { modelsDir: b });
    expect(again.sha256).toBe(first.sha256);
    const other = await pretrainBaseModel({ ...TINY, seed: 8 }, { modelsDir: c });
    expect(other.sha256).not.toBe(first.sha256);

    const { model } = await loadModelDir(first.dir);
    expect(model.config.nEmbd).toBe(16);
    expect(await locateBaseModel('tiny-test', a)).toMatchObject({
      sha256: first.sha256,
      corpus: 'moby-dick',
    });
    expect((await listBaseModels(a)).map((m) => m.name)).toEqual(['tiny-test']);
  });

  it('returns the cached copy without retraining, and refuses weights that no longer match their pin', async () => {
    const dir = await tempDir();
    const first = await pretrainBaseModel({ ...TINY, steps: 5 }, { modelsDir: dir });
    let progressCalls = 0;
    const cached = await pretrainBaseModel(
      { ...TINY, steps: 5 },
      { modelsDir: dir, onProgress: () => progressCalls++ },
    );
    expect(cached.sha256).toBe(first.sha256);
    expect(progressCalls).toBe(0);
    await writeFile(join(first.dir, 'model.safetensors'), 'tampered');
    await expect(locateBaseModel('tiny-test', dir)).rejects.toMatchObject({ code: 'invalid_model' });
    expect(await locateBaseModel('absent', dir)).toBeUndefined();
  });
});
