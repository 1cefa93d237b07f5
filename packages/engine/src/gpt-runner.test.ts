import { describe, expect, it } from 'vitest';
import { createGptRunner } from './gpt-runner.js';
import { createReferenceKernels } from './kernels/reference-kernels.js';
import { createLoraAdapter } from './lora.js';
import { createModel } from './model.js';
import { createParamSet } from './params.js';
import { createRng } from './rng.js';
import { KIT_CONFIG } from './runner/test-runner-kit.js';
import { gradCheck, randomFill } from './test-fd.js';

const kernels = createReferenceKernels();
// Two blocks, 16 wide, 8 positions: the runner steps' test model.
const config = KIT_CONFIG;

function makeBatch(seed: number) {
  const rng = createRng(seed);
  const B = 2;
  const T = 6;
  const tokens = new Int32Array(B * T).map(() => rng.int(20));
  const targets = new Int32Array(B * T).map((_, i) => (i % 3 === 0 ? -1 : rng.int(20)));
  return { tokens, targets, batchSize: B, seqLen: T };
}

describe('gpt runner', () => {
  it('matches finite differences for every weight of the full model', () => {
    const model = createModel(config, { seed: 3 });
    // Non-trivial norms and biases so their gradients are exercised.
    for (const spec of model.params.specs) {
      if (spec.shape.length === 1)
        randomFill(model.params.get(spec.name), spec.offset, 0.3).forEach((v, i, a) => {
          a[i] = spec.name.endsWith('weight') ? 1 + v : v;
        });
    }
    const runner = createGptRunner(kernels, config, { maxBatch: 2, maxSeqLen: 8, training: true });
    const batch = makeBatch(7);
    const loss = () => runner.forward(model.params, batch).lossSum;
    runner.forward(model.params, batch);
    const grads = createParamSet(model.params.specs);
    runner.backward(grads, null, 1);
    for (const spec of model.params.specs) {
      const r = gradCheck(model.params.get(spec.name), grads.get(spec.name), loss, {
        samples: 6,
        seed: spec.offset,
      });
      expect(r.maxAbsErr, spec.name).toBeLessThan(2e-3 + 2e-2 * r.scale);
    }
  });

  it('matches finite differences for LoRA A and B with the base frozen', () => {
    const model = createModel(config, { seed: 4 });
    const adapter = createLoraAdapter(
      config,
      { r: 2, alpha: 4, targetModules: ['c_attn', 'c_proj', 'c_fc'] },
      5,
    );
    randomFill(adapter.params.data, 9, 0.2);
    const runner = createGptRunner(kernels, config, {
      maxBatch: 2,
      maxSeqLen: 8,
      training: true,
      lora: { sites: adapter.sites, r: 2 },
    });
    const batch = makeBatch(8);
    const loss = () => runner.forward(model.params, batch, adapter).lossSum;
    loss();
    const grads = createParamSet(adapter.params.specs);
    runner.backward(null, grads, 1);
    expect(adapter.sites).toHaveLength(8);
    for (const spec of adapter.params.specs) {
      const r = gradCheck(adapter.params.get(spec.name), grads.get(spec.name), loss, {
        samples: 6,
        seed: spec.offset,
      });
      expect(r.maxAbsErr, spec.name).toBeLessThan(2e-3 + 2e-2 * r.scale);
    }
  });
});
