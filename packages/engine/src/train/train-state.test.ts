import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../kernels/reference-kernels.js';
import { createLoraAdapter } from '../lora.js';
import { createModel } from '../model.js';
import { additionExamples, TINY_CONFIG } from '../test-fixtures.js';
import { resolveRunPlan } from './run-plan.js';
import type { TrainOptions } from './train-options.js';
import { createTrainState } from './train-state.js';

const LORA = { r: 2, alpha: 4, targetModules: ['c_attn'] };

// Reference kernels that remember which buffers they handed out and which came back.
function countingKernels() {
  const live = new Set<Float32Array>();
  const reference = createReferenceKernels();
  const kernels = {
    ...reference,
    alloc: (n: number) => {
      const buf = reference.alloc(n);
      live.add(buf);
      return buf;
    },
    free: (buf: Float32Array) => {
      if (!live.delete(buf)) throw new Error('freed a buffer twice or one not from alloc');
    },
  };
  return { kernels, live };
}

function state(o: TrainOptions = {}) {
  const base = createModel(TINY_CONFIG, { seed: 2 });
  const plan = resolveRunPlan(base, additionExamples(8), o, 0);
  const { kernels, live } = countingKernels();
  return { base, live, s: createTrainState(kernels, base, o, plan) };
}

describe('train state', () => {
  it('trains a kernel-memory copy of the base and snapshots it into plain memory', () => {
    const { base, s } = state();
    const before = base.params.data.slice();
    expect(s.trainable).toBe(s.baseParams);
    expect(s.baseParams.data).not.toBe(base.params.data);
    expect(s.baseParams.data).toEqual(base.params.data);
    s.baseParams.data[0]! += 1;
    expect(base.params.data).toEqual(before);
    const snap = s.snapshot();
    expect(snap.adapter).toBeUndefined();
    expect(snap.model.params.data[0]).toBe(s.baseParams.data[0]);
    s.baseParams.data[0]! += 1;
    expect(snap.model.params.data[0]).not.toBe(s.baseParams.data[0]);
  });

  it('trains a copy of the initial adapter for LoRA, leaving it and the base alone', () => {
    const initial = createLoraAdapter(TINY_CONFIG, LORA, 3);
    initial.params.data.fill(0.5);
    const { base, s } = state({ method: 'lora', initialAdapter: initial });
    expect(s.trainable).toBe(s.adapter!.params);
    expect(s.adapter!.params.data).not.toBe(initial.params.data);
    expect(s.adapter!.params.data).toEqual(initial.params.data);
    expect(s.grads.data.length).toBe(initial.params.data.length);
    s.adapter!.params.data.fill(1);
    expect(initial.params.data.every((v) => v === 0.5)).toBe(true);
    const snap = s.snapshot();
    expect(snap.model).toBe(base);
    expect(snap.adapter!.params.data.every((v) => v === 1)).toBe(true);
    expect(snap.adapter!.params.data).not.toBe(s.adapter!.params.data);
  });

  it('starts LoRA from a fresh adapter seeded by the run', () => {
    const { s } = state({ method: 'lora', lora: LORA, seed: 7 });
    expect(s.adapter!.params.data).toEqual(createLoraAdapter(TINY_CONFIG, LORA, 7).params.data);
  });

  it('returns every kernel buffer it took on release', () => {
    for (const o of [{}, { method: 'lora' as const, lora: LORA }]) {
      const { live, s } = state(o);
      expect(live.size).toBeGreaterThan(3);
      s.release();
      expect(live.size).toBe(0);
    }
  });
});
