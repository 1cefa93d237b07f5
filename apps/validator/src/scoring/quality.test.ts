import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combinedLoss, geometricMean, poolQualities } from './quality.js';

describe('pool qualities', () => {
  it('have a geometric mean of 1 to 1e-9 over random pools', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 12, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        (losses, tau) => {
          expect(Math.abs(geometricMean(poolQualities(losses, tau)) - 1)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('give a pool of one exactly 1, and reward the lower loss', () => {
    expect(poolQualities([3.2], 0.1)).toEqual([1]);
    const [better, worse] = poolQualities([1.0, 1.2], 0.1);
    expect(better).toBeCloseTo(Math.exp(1), 12);
    expect(worse).toBeCloseTo(Math.exp(-1), 12);
  });

  it('weights test and synthetic losses', () => {
    expect(combinedLoss(1, 3, 0.5)).toBe(2);
    expect(combinedLoss(1, 3, 1)).toBe(1);
    expect(combinedLoss(1, 3, 0.25)).toBe(2.5);
  });

  it('stays finite and non-zero for absurd losses', () => {
    const q = poolQualities([1, 1, 1e9], 0.01);
    for (const value of q) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
  });

  it('refuses a non-positive tau', () => {
    expect(() => poolQualities([1], 0)).toThrow(RangeError);
  });
});
