import { describe, expect, it } from 'vitest';
import { createBackoff } from './backoff.js';

describe('reconnect backoff', () => {
  it('doubles from the initial delay up to the cap when jitter is off', () => {
    const backoff = createBackoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect(Array.from({ length: 6 }, () => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('starts over after a reset', () => {
    const backoff = createBackoff({ initialMs: 100, jitter: 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.attempt).toBe(0);
    expect(backoff.next()).toBe(100);
  });

  it('keeps jittered delays between (1 - jitter) and 1 times the exponential delay', () => {
    const low = createBackoff({ initialMs: 1000, jitter: 0.5, random: () => 0 });
    const high = createBackoff({ initialMs: 1000, jitter: 0.5, random: () => 0.999999 });
    expect([low.next(), low.next()]).toEqual([500, 1000]);
    expect([high.next(), high.next()]).toEqual([1000, 2000]);
  });

  it('spreads miners dropped at once over different delays', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const delays = new Set(
      Array.from({ length: 10 }, () => createBackoff({ initialMs: 1000, random }).next()),
    );
    expect(delays.size).toBeGreaterThan(5);
  });
});
