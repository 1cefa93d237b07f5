import { describe, expect, it } from 'vitest';
import type { Sequence } from '../data.js';
import type { GptRunner } from '../gpt-runner.js';
import { createReferenceKernels } from '../kernels/reference-kernels.js';
import { createParamSet, layoutTensors } from '../params.js';
import type { AdamW } from './adamw.js';
import { countTargets, runTrainStep, type TrainStepSettings } from './train-step.js';

const { specs } = layoutTensors([{ name: 'w', shape: [3], decay: true }]);
const seq = (targets: number[]): Sequence => ({
  tokens: new Int32Array(targets.length),
  targets: Int32Array.from(targets),
  example: 0,
});
const seqs = [seq([-1, 0, 5]), seq([-1, -1, 2, 3]), seq([-1, -1]), seq([1])];

// A runner that reports `loss` per pass and adds `grad` to the gradients; an optimiser that records its calls.
function fakes(o: { loss?: number; grad?: number; adapter?: boolean } = {}) {
  const passes: { rows: number; scale: number; base: boolean }[] = [];
  const updates: { lr: number; clip: number | undefined }[] = [];
  const grads = createParamSet(specs);
  grads.data.fill(99);
  const runner = {
    forward: (_p: unknown, batch: { batchSize: number }) => {
      passes.push({ rows: batch.batchSize, scale: Number.NaN, base: false });
      return { lossSum: o.loss ?? 1, targetCount: 0 };
    },
    backward: (g: unknown, a: unknown, scale: number) => {
      Object.assign(passes.at(-1)!, { scale, base: g !== null && a === null });
      for (let i = 0; i < 3; i++) grads.data[i]! += o.grad ?? 1;
    },
  } as unknown as GptRunner;
  const optimizer = {
    step: (_g: unknown, lr: number, clip?: number) => updates.push({ lr, clip }),
  } as unknown as AdamW;
  const builder = {
    build: (_s: unknown, indices: readonly number[]) => ({ batchSize: indices.length }) as never,
  };
  const adapter = o.adapter ? ({} as never) : null;
  const state = { baseParams: createParamSet(specs), adapter, grads, runner, optimizer, builder };
  return { state, passes, updates, grads };
}

const settings: TrainStepSettings = {
  kernels: createReferenceKernels(),
  trainSeqs: seqs,
  targetCounts: countTargets(seqs),
  micro: 2,
  peak: 1,
  warmup: 0,
};

describe('train step', () => {
  it('counts the answer tokens of each sequence', () => {
    expect(countTargets(seqs)).toEqual([2, 2, 0, 1]);
  });

  it('sums the micro-batches of a batch, each scaled by 1 / its answer tokens', () => {
    const f = fakes({ loss: 2.5 });
    const out = runTrainStep(f.state, settings, [0, 1, 3], 0, 10);
    expect(f.passes).toEqual([
      { rows: 2, scale: 0.2, base: true },
      { rows: 1, scale: 0.2, base: true },
    ]);
    // Gradients start from zero, then each pass adds 1.
    expect(Array.from(f.grads.data)).toEqual([2, 2, 2]);
    expect(out).toMatchObject({ loss: 1, tokens: 8, applied: true, learningRate: 1 });
    expect(out.gradNorm).toBeCloseTo(Math.sqrt(12), 6);
    expect(f.updates).toHaveLength(1);
    expect(f.updates[0]!.lr).toBe(1);
    expect(f.updates[0]!.clip).toBeCloseTo(1 / Math.sqrt(12), 6);
  });

  it('sends the gradients to the adapter side for LoRA', () => {
    const f = fakes({ adapter: true });
    runTrainStep(f.state, settings, [0], 0, 10);
    expect(f.passes[0]!.base).toBe(false);
  });

  it('follows the learning-rate schedule and the clip setting', () => {
    const f = fakes({ grad: 0.1 });
    const out = runTrainStep(f.state, { ...settings, warmup: 4, gradClip: 0.1 }, [3], 1, 10);
    expect(out.learningRate).toBeCloseTo(2 / 5, 12);
    // One pass of 0.1 on each of 3 weights: norm √0.03, clipped down to 0.1.
    expect(f.updates[0]!.clip).toBeCloseTo(0.1 / Math.sqrt(0.03), 5);
    runTrainStep(f.state, { ...settings, gradClip: 5 }, [3], 1, 10);
    expect(f.updates[1]!.clip).toBe(1);
  });

  it('skips the update when the gradient is not finite', () => {
    const f = fakes({ grad: Number.NaN });
    const out = runTrainStep(f.state, settings, [0, 1], 0, 10);
    expect(out.applied).toBe(false);
    expect(f.updates).toEqual([]);
  });

  it('reports NaN loss and scale 0 for a batch without answer tokens', () => {
    const f = fakes();
    const out = runTrainStep(f.state, settings, [2], 0, 10);
    expect(out.loss).toBeNaN();
    expect(f.passes[0]!.scale).toBe(0);
  });
});
