import { cloneModel, mergeAdapter, modelDistance } from '@tuning-arena/engine';
import { describe, expect, it } from 'vitest';
import type { BaseModel } from './base-model.js';
import { changedAdapter, nudged, tinyModel } from './test-artifacts.js';
import {
  computeWeightFacts,
  deltaSketch,
  SKETCH_DIMS,
  sketchCosine,
  sketchSeed,
  submissionDelta,
} from './weight-facts.js';

const asBase = (seed: number, sha: string): BaseModel => ({
  modelId: `m${seed}`,
  weightsSha256: sha,
  model: tinyModel(seed),
  tokenizer: undefined as never,
});

describe('computeWeightFacts', () => {
  const base = asBase(1, 'a'.repeat(64));
  const other = asBase(2, 'b'.repeat(64));

  it('sees no change in the base itself', () => {
    const facts = computeWeightFacts(base, { kind: 'full', model: cloneModel(base.model) }, [other]);
    expect(facts).toMatchObject({ relativeDistance: 0, deltaNorm: 0, minTensorCosine: 1 });
    expect(facts.cosineToBase).toBeCloseTo(1, 10);
    expect(facts.deltaSketch.every((x) => x === 0)).toBe(true);
  });

  it('measures a LoRA as its merged weights', () => {
    const adapter = changedAdapter();
    const merged = mergeAdapter(base.model, adapter);
    const facts = computeWeightFacts(base, { kind: 'lora', adapter }, []);
    expect(facts.relativeDistance).toBeCloseTo(modelDistance(merged, base.model).relativeL2, 6);
    expect(facts.relativeDistance).toBeGreaterThan(0);
    expect(facts.minTensorCosine).toBeLessThan(1);
    const delta = submissionDelta(base.model, { kind: 'lora', adapter });
    merged.params.data.forEach((w, i) => {
      expect(base.model.params.data[i]! + delta[i]!).toBeCloseTo(w, 6);
    });
  });

  it('takes the smallest tensor cosine over weight matrices only, not bias or layer-norm vectors', () => {
    const flip = (keep: (shape: readonly number[]) => boolean) => {
      const model = cloneModel(base.model);
      for (const spec of model.params.specs) {
        if (keep(spec.shape)) continue;
        for (let i = spec.offset; i < spec.offset + spec.size; i++)
          model.params.data[i] = -model.params.data[i]!;
      }
      return computeWeightFacts(base, { kind: 'full', model }, []).minTensorCosine;
    };
    // Every vector turned around, every matrix kept: nothing a lineage check should see.
    expect(flip((shape) => shape.length >= 2)).toBe(1);
    // One matrix turned around is seen at once.
    let first = true;
    expect(
      flip((shape) => {
        if (shape.length < 2 || !first) return true;
        first = false;
        return false;
      }),
    ).toBeCloseTo(-1, 6);
  });

  it('finds a blend of the base with another base pointing at that base', () => {
    const blend = cloneModel(base.model);
    blend.params.data.forEach((w, i) => {
      blend.params.data[i] = 0.5 * w + 0.5 * other.model.params.data[i]!;
    });
    const facts = computeWeightFacts(base, { kind: 'full', model: blend }, [other, base]);
    expect(facts.otherBases.map((o) => o.modelId)).toEqual(['m2']);
    expect(facts.otherBases[0]!.deltaDirectionCosine).toBeCloseTo(1, 6);
    expect(facts.otherBases[0]!.blendFraction).toBeCloseTo(0.5, 5);
    expect(facts.otherBases[0]!.relativeDistance).toBeCloseTo(facts.relativeDistance * 1, 1);
    const honest = computeWeightFacts(base, { kind: 'full', model: nudged(base.model) }, [other]);
    expect(Math.abs(honest.otherBases[0]!.deltaDirectionCosine)).toBeLessThan(0.2);
    expect(Math.abs(honest.otherBases[0]!.blendFraction ?? 1)).toBeLessThan(0.05);
  });

  it('skips other bases of another architecture', () => {
    const wide = {
      ...other,
      model: tinyModel(2, { ...base.model.config, nEmbd: 32 }),
    };
    expect(computeWeightFacts(base, { kind: 'full', model: nudged(base.model) }, [wide]).otherBases).toEqual(
      [],
    );
  });
});

describe('deltaSketch', () => {
  const base = tinyModel(1);
  const a = submissionDelta(base, { kind: 'full', model: nudged(base, 0.01) });
  const b = submissionDelta(base, { kind: 'lora', adapter: changedAdapter() });

  it('depends only on the delta and the base weights sha', () => {
    const seed = sketchSeed('c'.repeat(64));
    expect(deltaSketch(a, seed)).toEqual(deltaSketch(a, sketchSeed('c'.repeat(64))));
    expect(deltaSketch(a, seed)).toHaveLength(SKETCH_DIMS);
    expect(deltaSketch(a, seed)).not.toEqual(deltaSketch(a, sketchSeed('d'.repeat(64))));
  });

  it('keeps the cosine of deltas: scaled copies match, unrelated changes do not', () => {
    const seed = sketchSeed('c'.repeat(64));
    const scaled = a.map((x) => 3 * x);
    expect(sketchCosine(deltaSketch(a, seed), deltaSketch(scaled, seed))).toBeCloseTo(1, 6);
    expect(Math.abs(sketchCosine(deltaSketch(a, seed), deltaSketch(b, seed)))).toBeLessThan(0.3);
    const near = a.map((x, i) => x + 0.1 * b[i]!);
    expect(sketchCosine(deltaSketch(a, seed), deltaSketch(near, seed))).toBeGreaterThan(0.95);
  });

  it('keeps changes to disjoint weights apart, even when all of them grow', () => {
    const seed = sketchSeed('c'.repeat(64));
    const half = a.length >> 1;
    const first = a.map((_, i) => (i < half ? 0.01 : 0));
    const second = a.map((_, i) => (i >= half ? 0.01 : 0));
    expect(Math.abs(sketchCosine(deltaSketch(first, seed), deltaSketch(second, seed)))).toBeLessThan(0.3);
  });
});
