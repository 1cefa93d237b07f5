// Test helpers for the runner's steps: a small model with non-trivial norms and biases, its buffers and
// context on the reference kernels, and a batch whose targets pick some rows (not part of the build).

import { createModelConfig } from '../config.js';
import { allocateRunnerBuffers } from '../gpt-buffers.js';
import { createReferenceKernels } from '../kernels/reference-kernels.js';
import { createLoraAdapter, type LoraAdapter } from '../lora.js';
import { createModel } from '../model.js';
import { randomFill } from '../test-fd.js';
import { batchShape, createRunnerContext } from './runner-context.js';
import { type PassRows, selectTargetRows } from './target-rows.js';

/** Two blocks, 16 wide, 2 heads, vocabulary 20. */
export const KIT_CONFIG = createModelConfig({
  vocabSize: 20,
  bosTokenId: 16,
  eosTokenId: 17,
  padTokenId: 18,
  nLayer: 2,
  nEmbd: 16,
  nHead: 2,
  nPositions: 8,
});

/** A runner's context, buffers, weights and a 2 × 5 batch's rows; `lora` adds an adapter on every site. */
export function runnerKit(o: { lora?: boolean; training?: boolean; targets?: 'some' | 'all' } = {}) {
  const kernels = createReferenceKernels();
  const config = KIT_CONFIG;
  const B = 2;
  const T = 5;
  const adapter: LoraAdapter | null = o.lora
    ? createLoraAdapter(config, { r: 2, alpha: 4, targetModules: ['c_attn', 'c_proj', 'c_fc'] }, 5)
    : null;
  if (adapter) randomFill(adapter.params.data, 9, 0.2);
  const kinds = new Set(adapter?.sites.map((s) => s.kind) ?? []);
  const training = o.training ?? true;
  const ctx = createRunnerContext(kernels, config, training, kinds);
  const buffers = allocateRunnerBuffers(kernels, config, {
    maxBatch: B,
    maxSeqLen: T,
    training,
    loraKinds: kinds,
    rank: adapter?.config.r ?? 0,
  });
  const model = createModel(config, { seed: 3 });
  for (const spec of model.params.specs) {
    if (spec.shape.length !== 1) continue;
    const v = randomFill(model.params.get(spec.name), spec.offset, 0.3);
    if (spec.name.endsWith('weight')) for (let i = 0; i < v.length; i++) v[i]! += 1;
  }
  const targets = new Int32Array(B * T).map((_, i) => (o.targets === 'all' || i % 3 === 1 ? i % 20 : -1));
  const compactTargets = new Int32Array(B * T);
  const pass: PassRows = selectTargetRows(targets, B * T, new Int32Array(B * T), compactTargets);
  const fullPass: PassRows = { ...pass, compact: false };
  return {
    ctx,
    buffers,
    params: model.params,
    adapter,
    shape: batchShape(config, B, T),
    pass,
    fullPass,
    compactTargets,
    rows: B * T,
    C: config.nEmbd,
  };
}

/** Σ c·y over the first `n` entries. */
export function dot(c: Float32Array, y: Float32Array, n = c.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += c[i]! * y[i]!;
  return s;
}
