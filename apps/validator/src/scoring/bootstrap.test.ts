import { createRng } from '@tuning-arena/engine';
import { describe, expect, it } from 'vitest';
import { differenceToMean, pairedBootstrap } from './bootstrap.js';

/** A seeded uniform source, so intervals are reproducible in the test. */
const seeded = (seed: number) => {
  const rng = createRng(seed);
  return () => rng.uniform();
};

const losses = (base: number, spread: number, n: number, seed: number) => {
  const u = seeded(seed);
  return Array.from({ length: n }, () => base + spread * (u() - 0.5));
};

describe('paired bootstrap', () => {
  it('brackets each point estimate, and separates a real gap from noise', () => {
    const pool = [
      { test: losses(1.0, 0.4, 300, 1), synthetic: losses(1.1, 0.4, 300, 2) },
      { test: losses(1.3, 0.4, 300, 3), synthetic: losses(1.4, 0.4, 300, 4) },
      { test: losses(1.15, 0.4, 300, 5), synthetic: losses(1.25, 0.4, 300, 6) },
    ];
    const intervals = pairedBootstrap(pool, { weightTest: 0.5, resamples: 1000, uniform: seeded(7) });
    const points = differenceToMean(pool, 0.5);
    intervals.forEach(([lo, hi], i) => {
      expect(lo).toBeLessThanOrEqual(points[i] as number);
      expect(hi).toBeGreaterThanOrEqual(points[i] as number);
    });
    expect(intervals[0]?.[1]).toBeLessThan(0);
    expect(intervals[1]?.[0]).toBeGreaterThan(0);
  });

  it('is the same for the same seed and refuses pools evaluated on different examples', () => {
    const pool = [
      { test: [1, 2, 3], synthetic: [1, 1] },
      { test: [2, 2, 2], synthetic: [3, 1] },
    ];
    const run = () => pairedBootstrap(pool, { weightTest: 0.5, resamples: 200, uniform: seeded(3) });
    expect(run()).toEqual(run());
    expect(() =>
      pairedBootstrap([pool[0] as never, { test: [1], synthetic: [1, 1] }], {
        weightTest: 0.5,
        resamples: 10,
        uniform: seeded(1),
      }),
    ).toThrow(RangeError);
    expect(pairedBootstrap([], { weightTest: 0.5, resamples: 10, uniform: seeded(1) })).toEqual([]);
  });
});
