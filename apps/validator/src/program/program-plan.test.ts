import { describe, expect, it } from 'vitest';
import {
  currentPhase,
  drawTimeLimit,
  fitTimeLimit,
  nextPair,
  pairKey,
  phasePairs,
  phaseStarts,
} from './program-plan.js';

const phase = (overrides = {}) => ({
  name: 'p',
  models: ['m1', 'm2', 'm3'],
  datasets: ['d1', 'd2', 'd3'],
  timeLimit: 60,
  minersWanted: 1,
  ...overrides,
});
const window = { startsAt: 1_000_000, endsAt: 1_000_000 + 3_600_000 };

describe('program plan', () => {
  it('resolves phase starts from offsets and absolute times', () => {
    const starts = phaseStarts(
      {
        phases: [
          phase(),
          phase({ startOffsetSeconds: 600 }),
          phase({ startsAt: new Date(window.startsAt + 1_200_000).toISOString() }),
        ],
      },
      window,
    );
    expect(starts).toEqual([window.startsAt, window.startsAt + 600_000, window.startsAt + 1_200_000]);
    expect(currentPhase(starts, window, window.startsAt - 1)).toBeNull();
    expect(currentPhase(starts, window, window.startsAt + 600_000)).toBe(1);
    expect(currentPhase(starts, window, window.endsAt)).toBeNull();
  });

  it('orders a phase’s pairs by the secret seed, the same way every time', () => {
    const a = phasePairs('seed-a', 0, phase());
    expect(phasePairs('seed-a', 0, phase())).toEqual(a);
    expect(a).toHaveLength(9);
    expect(new Set(a.map(pairKey)).size).toBe(9);
    // Another seed (or another phase) gives another order, so the pairs cannot be predicted.
    expect(phasePairs('seed-b', 0, phase())).not.toEqual(a);
    expect(phasePairs('seed-a', 1, phase())).not.toEqual(a);
  });

  it('takes the least used pair, in secret order, so pairs repeat only once the pools run out', () => {
    const order = phasePairs('seed', 0, phase());
    const used = new Map<string, number>();
    const drawn = [];
    for (let i = 0; i < 18; i++) {
      const next = nextPair(order, used);
      used.set(pairKey(next), (used.get(pairKey(next)) ?? 0) + 1);
      drawn.push(pairKey(next));
    }
    expect(new Set(drawn.slice(0, 9)).size).toBe(9);
    expect(drawn.slice(9)).toEqual(drawn.slice(0, 9));
  });

  it('draws time limits from a range with the seed and scales them with the rows', () => {
    const ranged = Array.from({ length: 50 }, (_, seq) =>
      drawTimeLimit({ min: 60, max: 90 }, 'seed', seq, 0),
    );
    expect(Math.min(...ranged)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...ranged)).toBeLessThanOrEqual(90);
    expect(new Set(ranged).size).toBeGreaterThan(5);
    expect(drawTimeLimit({ min: 60, max: 90 }, 'seed', 7, 0)).toBe(ranged[7]);
    const scaled = { perThousandRows: 600, min: 120, max: 3600 };
    expect(drawTimeLimit(scaled, 's', 1, 100)).toBe(120);
    expect(drawTimeLimit(scaled, 's', 1, 2500)).toBe(1500);
    expect(drawTimeLimit(scaled, 's', 1, 100_000)).toBe(3600);
    expect(drawTimeLimit(45, 's', 1, 100_000)).toBe(45);
  });

  it('cuts a time limit to the room left before the end, but not below half of it', () => {
    const end = window.endsAt;
    expect(fitTimeLimit(600, { ...window, endsAt: null }, end - 10_000, 30)).toBe(600);
    expect(fitTimeLimit(600, window, end - 1_000_000, 30)).toBe(600);
    expect(fitTimeLimit(600, window, end - 430_000, 30)).toBe(400);
    expect(fitTimeLimit(600, window, end - 300_000, 30)).toBeNull();
  });
});
