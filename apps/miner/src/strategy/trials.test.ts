import { describe, expect, it } from 'vitest';
import { bestTrial, MAX_TRIALS, nextTrial, type TrialRecord, trialCostMs, trialSteps } from './trials.js';

const shape = { trainRows: 480, batchSize: 8 };
const record = (o: Partial<TrialRecord> = {}): TrialRecord => ({
  learningRate: 1e-3,
  epochs: 8,
  steps: 480,
  durationMs: 2400,
  validationLoss: 1.5,
  keptStep: 480,
  stoppedBy: 'completed',
  ...o,
});

describe('trials', () => {
  it('counts steps from epochs, rows and batch', () => {
    expect(trialSteps({ learningRate: 1, epochs: 8 }, 480, 8)).toBe(480);
    expect(trialSteps({ learningRate: 1, epochs: 1.5 }, 5, 8)).toBe(2);
  });

  it('estimates a trial from the measured time per step', () => {
    expect(trialCostMs([record()], 960)).toBeCloseTo(400 + 2 * 2000, 0);
  });

  it('tries a higher learning rate first, then a lower one around the best', () => {
    expect(nextTrial([record()], 60_000, shape)).toEqual({ learningRate: 2e-3, epochs: 8 });
    const worse = record({ learningRate: 2e-3, validationLoss: 1.6 });
    expect(nextTrial([record(), worse], 60_000, shape)).toEqual({ learningRate: 5e-4, epochs: 8 });
  });

  it('walks on from a better trial and skips what was tried', () => {
    const better = record({ learningRate: 2e-3, validationLoss: 1.4 });
    expect(bestTrial([record(), better])).toBe(better);
    expect(nextTrial([record(), better], 60_000, shape)).toEqual({ learningRate: 4e-3, epochs: 8 });
  });

  it('proposes only trials that fit the time left, and none after a deadline-bound one', () => {
    // 16 epochs cost ~4.4 s: with 5 s left only the cheaper neighbours fit.
    const tried = [
      record(),
      record({ learningRate: 2e-3, validationLoss: 2 }),
      record({ learningRate: 5e-4, validationLoss: 2 }),
    ];
    expect(nextTrial(tried, 5000, shape)).toEqual({ learningRate: 1e-3, epochs: 4 });
    expect(nextTrial(tried, 100, shape)).toBeUndefined();
    expect(nextTrial([record({ stoppedBy: 'deadline' })], 1e9, shape)).toBeUndefined();
  });

  it('stops after MAX_TRIALS', () => {
    const many = Array.from({ length: MAX_TRIALS }, (_, i) => record({ learningRate: 10 ** -i }));
    expect(nextTrial(many, 1e9, shape)).toBeUndefined();
  });
});
