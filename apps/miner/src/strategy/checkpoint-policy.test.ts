import { describe, expect, it } from 'vitest';
import { createCheckpointPolicy } from './checkpoint-policy.js';

describe('checkpoint policy', () => {
  it('commits an early insurance checkpoint, then only better ones spaced apart, none at the very end', () => {
    const policy = createCheckpointPolicy({ startMs: 0, endMs: 100_000 });
    expect(policy.offer(5_000, 3)).toBe(false); // too early: barely trained
    expect(policy.offer(12_000, 2.5)).toBe(true); // insurance
    expect(policy.offer(20_000, 2.0)).toBe(false); // too soon after the last
    expect(policy.offer(40_000, 2.6)).toBe(false); // not better than what was committed
    expect(policy.offer(40_000, 1.9)).toBe(true);
    expect(policy.offer(95_000, 1.0)).toBe(false); // the final commit follows
    expect(policy.committed).toBe(2);
  });
});
