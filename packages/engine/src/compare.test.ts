import { describe, expect, it } from 'vitest';
import { adapterDelta, cosineSimilarity, modelDelta, modelDistance } from './compare.js';
import { createLoraAdapter, mergeAdapter } from './lora.js';
import { cloneModel, createModel } from './model.js';
import { randomFill } from './test-fd.js';
import { TINY_CONFIG } from './test-fixtures.js';

describe('weight comparison', () => {
  it('measures distance from a base, zero for the base itself', () => {
    const base = createModel(TINY_CONFIG, { seed: 1 });
    expect(modelDistance(base, base).relativeL2).toBe(0);
    const other = createModel(TINY_CONFIG, { seed: 2 });
    const tweaked = cloneModel(base);
    tweaked.params.get('h.0.mlp.c_fc.weight')[0]! += 0.01;
    const near = modelDistance(tweaked, base);
    expect(near.relativeL2).toBeLessThan(modelDistance(other, base).relativeL2);
    expect(near.perTensor['h.0.mlp.c_fc.weight']).toBeGreaterThan(0);
    expect(near.perTensor['wte.weight']).toBe(0);
  });

  it('puts an adapter and its merged model at the same delta', () => {
    const base = createModel(TINY_CONFIG, { seed: 3 });
    const adapter = createLoraAdapter(TINY_CONFIG, { r: 2, alpha: 4, targetModules: ['c_attn', 'c_fc'] }, 1);
    randomFill(adapter.params.data, 4, 0.1);
    const viaAdapter = adapterDelta(base, adapter);
    const viaMerge = modelDelta(base, mergeAdapter(base, adapter));
    expect(cosineSimilarity(viaAdapter, viaMerge)).toBeGreaterThan(0.99999);
    const unrelated = createLoraAdapter(
      TINY_CONFIG,
      { r: 2, alpha: 4, targetModules: ['c_attn', 'c_fc'] },
      9,
    );
    randomFill(unrelated.params.data, 10, 0.1);
    expect(Math.abs(cosineSimilarity(viaAdapter, adapterDelta(base, unrelated)))).toBeLessThan(0.3);
  });
});
