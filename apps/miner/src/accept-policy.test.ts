import type { JobOffer } from '@tuning-arena/protocol';
import { validValidatorFrames } from '@tuning-arena/protocol/fixtures';
import { describe, expect, it } from 'vitest';
import { createDefaultAcceptPolicy } from './accept-policy.js';

const offer = validValidatorFrames['job.offer'] as JobOffer;
const before = new Date(Date.parse(offer.offerExpiresAt) - 10_000);

describe('default accept policy', () => {
  const policy = createDefaultAcceptPolicy({ minTimeLimitSeconds: 30 });

  it('accepts when a slot is free and the time limit is long enough', () => {
    expect(policy(offer, { capacity: 2, activeJobIds: ['job_0'], now: before })).toEqual({ accept: true });
  });

  it('declines with a reason when every slot is busy', () => {
    const decision = policy(offer, { capacity: 1, activeJobIds: ['job_0'], now: before });
    expect(decision).toMatchObject({ accept: false, reason: expect.stringContaining('no free slot') });
  });

  it('declines a time limit below the configured minimum', () => {
    const strict = createDefaultAcceptPolicy({ minTimeLimitSeconds: 120 });
    const decision = strict(offer, { capacity: 1, activeJobIds: [], now: before });
    expect(decision).toMatchObject({ accept: false, reason: expect.stringContaining('below') });
  });

  it('declines an offer that expired before it was decided', () => {
    const decision = policy(offer, { capacity: 1, activeJobIds: [], now: new Date(offer.offerExpiresAt) });
    expect(decision).toMatchObject({ accept: false });
  });
});
