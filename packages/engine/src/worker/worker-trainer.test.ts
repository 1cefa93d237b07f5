// The worker loads compiled JavaScript, so this suite first builds the package (incremental `tsc -b`;
// CI has built it already, making this a no-op there).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { evaluate } from '../evaluate.js';
import { createModel } from '../model.js';
import { additionExamples, REAL_TEXT, TINY_CONFIG } from '../test-fixtures.js';
import { train } from '../train/trainer.js';
import { evaluateInWorker, trainInWorker } from './worker-trainer.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

beforeAll(() => {
  execFileSync(`${root}node_modules/.bin/tsc`, ['-b', 'packages/engine'], { cwd: root, stdio: 'inherit' });
});

describe('worker trainer', () => {
  it('trains in a worker with the same result as in-process, keeping the event loop free', async () => {
    const base = createModel(TINY_CONFIG, { seed: 1 });
    const data = additionExamples(40);
    const options = { maxSteps: 6, seed: 3, backend: 'reference' as const };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const steps: number[] = [];
    const inWorker = await trainInWorker(base, data, { ...options, onProgress: (p) => steps.push(p.step) });
    clearInterval(timer);
    const { createReferenceKernels } = await import('../kernels/reference-kernels.js');
    const local = await train(base, data, { maxSteps: 6, seed: 3, kernels: createReferenceKernels() });
    expect(inWorker.model.params.data).toEqual(local.model.params.data);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ticks).toBeGreaterThan(0);
  });

  it('returns a LoRA adapter and evaluates base + adapter in a worker', async () => {
    const base = createModel(TINY_CONFIG, { seed: 2 });
    const checkpoints: number[] = [];
    const result = await trainInWorker(base, additionExamples(40), {
      validation: additionExamples(8, 2),
      evalEvery: 1,
      onCheckpoint: (c) => checkpoints.push(c.adapter!.params.data.length),
      method: 'lora',
      lora: { r: 2, alpha: 4, targetModules: ['c_attn'] },
      maxSteps: 3,
    });
    const { adapter } = result;
    if (!adapter) throw new Error('the LoRA run returned no adapter');
    expect(adapter.sites).toHaveLength(1);
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints[0]).toBe(adapter.params.data.length);
    const valid = additionExamples(10, 1);
    const remote = await evaluateInWorker(base, valid, { adapter, backend: 'reference' });
    const { createReferenceKernels } = await import('../kernels/reference-kernels.js');
    const local = evaluate(base, valid, { adapter, kernels: createReferenceKernels() });
    expect(remote.meanLoss).toBeCloseTo(local.meanLoss, 10);
  });

  it('rejects with code aborted when cancelled', async () => {
    const controller = new AbortController();
    const run = trainInWorker(
      createModel(TINY_CONFIG),
      { text: REAL_TEXT },
      {
        maxSteps: 100_000,
        signal: controller.signal,
        onProgress: (p) => p.step === 2 && controller.abort(),
      },
    );
    await expect(run).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'aborted');
  });
});
