import { createRng } from '@tuning-arena/random';
import { describe, expect, it } from 'vitest';
import { type Gains, isReferencePeer, leakExcess, nearestPeersOfAll } from './leak-model.js';

/** The nearest peers by brute force: every other reference peer sorted by distance in log synthetic gain. */
function bruteNearest(gains: readonly Gains[], self: number, count: number): number[] {
  const own = gains[self]!;
  const distance = (j: number) =>
    own.synthetic > 0.01 ? Math.abs(Math.log(gains[j]!.synthetic / own.synthetic)) : -gains[j]!.synthetic;
  return gains
    .map((_, j) => j)
    .filter((j) => j !== self && isReferencePeer(gains[j]!))
    .sort((a, b) => distance(a) - distance(b))
    .slice(0, count);
}

describe('leak model', () => {
  it('finds each model’s nearest reference peers by synthetic gain, itself and non-gaining models left out', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 20; trial++) {
      const gains: Gains[] = Array.from({ length: 5 + Math.floor(rng.uniform() * 60) }, () => {
        const g = rng.uniform() < 0.2 ? -0.1 + 0.1 * rng.uniform() : 2 * rng.uniform();
        return { test: 1.3 * g, synthetic: g, trainSample: g + 0.05 };
      });
      const count = 1 + Math.floor(rng.uniform() * 12);
      const nearest = nearestPeersOfAll(gains, count);
      gains.forEach((own, i) => {
        expect(nearest[i]).not.toContain(i);
        // Same set as brute force (order among equal distances may differ).
        const d = (j: number) =>
          own.synthetic > 0.01
            ? Math.abs(Math.log(gains[j]!.synthetic / own.synthetic))
            : -gains[j]!.synthetic;
        expect(nearest[i]!.map(d).sort()).toEqual(bruteNearest(gains, i, count).map(d).sort());
      });
    }
  });

  it('predicts the test gain from each reference set with the pool’s ratio', () => {
    const peers = [1, 1.1, 0.9].map((g) => ({ test: 1.4 * g, synthetic: g, trainSample: 1.35 * g }));
    const found = leakExcess({ test: 1.5, synthetic: 1, trainSample: 1.3 }, peers, 0.5);
    expect(found.syntheticRatio).toBeCloseTo(1.4, 6);
    expect(found.syntheticExcess).toBeCloseTo(0.1, 6);
    expect(found.trainExcess).toBeCloseTo(1.5 - (1.4 / 1.35) * 1.3, 6);
  });
});
