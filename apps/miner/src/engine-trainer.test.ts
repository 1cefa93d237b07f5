import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BYTE_TOKENIZER,
  createModel,
  createModelConfig,
  decodeAdapterFiles,
  saveModelDir,
} from '@tuning-arena/engine';
import { encodeRecipe, type Recipe, sha256Hex } from '@tuning-arena/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineTrainer } from './engine-trainer.js';
import type { TrainProgress } from './trainer.js';

const config = createModelConfig({ preset: 'nano', nPositions: 32, nLayer: 1 });
const promptFormat = { promptField: 'q', answerField: 'a', separator: '\n' };

describe('engine trainer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miner-engine-'));
    await saveModelDir(join(dir, 'base'), createModel(config, { seed: 1 }), BYTE_TOKENIZER, 'arena-nano');
    const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify({ q: `${i}+1=`, a: `${i + 1}` }));
    await writeFile(join(dir, 'train.jsonl'), `${rows.join('\n')}\n`);
    const more = Array.from({ length: 40 }, (_, i) => JSON.stringify({ q: `${i}*2=`, a: `${i * 2}` }));
    await writeFile(join(dir, 'train40.jsonl'), `${more.join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const request = (signal: AbortSignal, progress: TrainProgress[]) => ({
    jobId: 'job_1',
    baseModelDir: join(dir, 'base'),
    trainDataPath: join(dir, 'train.jsonl'),
    promptFormat,
    deadline: new Date(Date.now() + 60_000),
    signal,
    outputDir: join(dir, 'out'),
    onProgress: (p: TrainProgress) => progress.push(p),
  });

  it.each([
    ['in a worker thread', true],
    ['on the calling thread', false],
  ])('fine-tunes a LoRA adapter in PEFT layout and reports progress (%s)', async (_where, inWorker) => {
    const progress: TrainProgress[] = [];
    const trainer = createEngineTrainer({ strategy: 'lora', maxSteps: 2, batchSize: 4, inWorker });
    const output = await trainer.train(request(new AbortController().signal, progress));
    expect(output.kind).toBe('lora');
    if (!('files' in output)) throw new Error('expected files');
    expect(output.files.map((f) => f.name).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
    ]);
    const config_ = output.files.find((f) => f.name === 'adapter_config.json')!.data;
    const weights = output.files.find((f) => f.name === 'adapter_model.safetensors')!.data;
    const decoded = decodeAdapterFiles(config, { config: config_, weights });
    if (!decoded.ok) throw new Error(decoded.error.code);
    // The base is named and pinned, so PEFT's AutoPeftModelForCausalLM can find it.
    expect(decoded.value).toMatchObject({
      baseModelNameOrPath: 'arena-nano',
      baseModelSha256: sha256Hex(await readFile(join(dir, 'base', 'model.safetensors'))),
    });
    expect(progress.map((p) => p.step)).toEqual([1, 2]);
    expect(output.strategyNote).toContain('LoRA r=8');
  });

  it('stops when the job is cancelled, also mid-training in its worker', async () => {
    const running = new AbortController();
    const trainer_ = createEngineTrainer({ maxSteps: 100_000 });
    const progress: TrainProgress[] = [];
    const pending = trainer_.train({
      ...request(running.signal, progress),
      onProgress: (p: TrainProgress) => {
        progress.push(p);
        if (p.step === 3) running.abort();
      },
    });
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(progress.length).toBeLessThan(100_000);
    const controller = new AbortController();
    controller.abort();
    const trainer = createEngineTrainer({ maxSteps: 50 });
    await expect(trainer.train(request(controller.signal, []))).rejects.toMatchObject({ code: 'aborted' });
  });

  it('refuses train rows without the announced fields', async () => {
    await writeFile(join(dir, 'bad.jsonl'), '{"prompt":"x","answer":"y"}\n');
    const trainer = createEngineTrainer({ maxSteps: 1 });
    const req = { ...request(new AbortController().signal, []), trainDataPath: join(dir, 'bad.jsonl') };
    await expect(trainer.train(req)).rejects.toMatchObject({ code: 'trainer_failed' });
  });

  it('fine-tunes a small base fully by default and sends the recipe of the kept run', async () => {
    const trainer = createEngineTrainer({ epochs: 2, seed: 5 });
    const req = { ...request(new AbortController().signal, []), trainDataPath: join(dir, 'train40.jsonl') };
    const output = await trainer.train(req);
    expect(output.kind).toBe('full');
    expect(output.recipe).toMatchObject({
      method: 'full',
      seed: 5,
      base: { name: 'arena-nano' },
      hyperparameters: { num_epochs: 2, max_steps: 10, micro_batch_size: 8, weight_decay: 0.01 },
      data: { rows: 40, val_set_size: 0.1 },
      result: { steps: 10, checkpoint: false },
    });
    expect(encodeRecipe(output.recipe!).ok).toBe(true);
  });

  it('searches while time is left and keeps the trial with the best validation loss', async () => {
    const trainer = createEngineTrainer({ inWorker: false });
    const req = {
      ...request(new AbortController().signal, []),
      trainDataPath: join(dir, 'train40.jsonl'),
      deadline: new Date(Date.now() + 4000),
    };
    const output = await trainer.train(req);
    const recipe = output.recipe as Recipe & { trials: [number, number, number, number, string][] };
    expect(recipe.trials.length).toBeGreaterThan(1);
    const best = Math.min(...recipe.trials.map((t) => t[3]));
    expect((recipe.result as { validation_loss: number }).validation_loss).toBeCloseTo(best, 4);
    expect(output.strategyNote).toContain(`best of ${recipe.trials.length} trials`);
  });

  it('refuses a LoRA dropout the engine does not implement', () => {
    expect(() => createEngineTrainer({ lora: { dropout: 0.1 } })).toThrow(
      expect.objectContaining({ code: 'invalid_config' }),
    );
  });
});
