import type { JobOffer } from '@tuning-arena/protocol';
import { validValidatorFrames } from '@tuning-arena/protocol/fixtures';
import { describe, expect, it } from 'vitest';
import { estimateOffer } from './accept-estimate.js';
import { createDefaultAcceptPolicy } from './accept-policy.js';

const offer = validValidatorFrames['job.offer'] as JobOffer;
const before = new Date(Date.parse(offer.offerExpiresAt) - 10_000);
const assumptions = {
  safetyMarginSeconds: 5,
  transferMbPerSecond: 20,
  rowTokens: 64,
  batchSize: 8,
  method: 'lora' as const,
  cores: 2,
  threads: 1,
};

describe('default accept policy', () => {
  const policy = createDefaultAcceptPolicy({ minTimeLimitSeconds: 30 });

  it('accepts when a slot is free and the time limit is long enough', async () => {
    expect(await policy(offer, { capacity: 2, activeJobIds: ['job_0'], now: before })).toEqual({
      accept: true,
    });
  });

  it('declines with a reason when every slot is busy', async () => {
    const decision = await policy(offer, { capacity: 1, activeJobIds: ['job_0'], now: before });
    expect(decision).toMatchObject({ accept: false, reason: expect.stringContaining('no free slot') });
  });

  it('declines a time limit below the configured minimum', async () => {
    const strict = createDefaultAcceptPolicy({ minTimeLimitSeconds: 120 });
    const decision = await strict(offer, { capacity: 1, activeJobIds: [], now: before });
    expect(decision).toMatchObject({ accept: false, reason: expect.stringContaining('below') });
  });

  it('declines an offer that expired before it was decided', async () => {
    const decision = await policy(offer, {
      capacity: 1,
      activeJobIds: [],
      now: new Date(offer.offerExpiresAt),
    });
    expect(decision).toMatchObject({ accept: false });
  });
});

describe('accept policy with a measured throughput', () => {
  const withThroughput = (tokensPerSecond: number, minSteps = 30) =>
    createDefaultAcceptPolicy({
      minTimeLimitSeconds: 0,
      minSteps,
      throughput: async () => tokensPerSecond,
      estimate: assumptions,
    });

  it('accepts an offer that fits enough steps and carries the estimate', async () => {
    const decision = await withThroughput(20_000)(offer, { capacity: 1, activeJobIds: [], now: before });
    expect(decision).toMatchObject({ accept: true, estimate: { tokensPerSecond: 20_000 } });
    expect(decision.estimate?.steps).toBeGreaterThanOrEqual(30);
  });

  it('declines an offer it cannot train enough steps in, saying how many it estimated', async () => {
    const decision = await withThroughput(100)(offer, { capacity: 1, activeJobIds: [], now: before });
    expect(decision).toMatchObject({ accept: false, reason: expect.stringMatching(/estimated \d+ steps/) });
    expect(decision.estimate?.steps).toBeLessThan(30);
  });

  it('counts the cores the running jobs already use', async () => {
    const state = { capacity: 4, activeJobIds: ['a', 'b', 'c'], now: before };
    const tight = await withThroughput(1_000, 60)(offer, state);
    const alone = await withThroughput(1_000, 60)(offer, { ...state, activeJobIds: [] });
    expect(alone.accept).toBe(true);
    expect(tight).toMatchObject({ accept: false, reason: expect.stringContaining('3 job(s) running') });
  });

  it('declines when transfers and the margin leave no training time', async () => {
    const huge = { ...offer, model: { ...offer.model, parameterCount: 2_000_000_000 } };
    const decision = await withThroughput(1e9)(huge, { capacity: 1, activeJobIds: [], now: before });
    expect(decision).toMatchObject({ accept: false, reason: expect.stringContaining('no training time') });
  });
});

describe('offer estimate', () => {
  it('subtracts transfers and a margin of at least 10 % from the time limit', () => {
    const long = { ...offer, timeLimitSeconds: 300 };
    const estimate = estimateOffer(long, 8 * 64, { ...assumptions, activeJobs: 0 });
    expect(estimate.marginSeconds).toBe(30);
    expect(estimate.trainSeconds).toBeCloseTo(300 - 30 - estimate.transferSeconds, 1);
    // One step per second at 8 rows of 64 tokens.
    expect(estimate.steps).toBe(Math.floor(estimate.trainSeconds));
    expect(estimate.epochs).toBeCloseTo((estimate.steps * 8) / long.approxDatasetRows, 1);
  });

  it('expects a full-weight upload to take longer than an adapter', () => {
    const big = { ...offer, model: { ...offer.model, parameterCount: 50_000_000 } };
    const lora = estimateOffer(big, 1000, { ...assumptions, activeJobs: 0 });
    const full = estimateOffer(big, 1000, { ...assumptions, method: 'full', activeJobs: 0 });
    expect(full.transferSeconds).toBeGreaterThan(lora.transferSeconds);
  });
});
