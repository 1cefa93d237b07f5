import { describe, expect, it } from 'vitest';
import type { SubmissionFacts } from '../evaluation/facts.js';
import { duplicateRule } from './duplicate.js';
import type { PriorSubmission } from './rule.js';
import {
  type ContextOptions,
  contextFor,
  exampleLosses,
  submissionFacts,
  weightFacts,
} from './test-facts.js';

type Params = typeof duplicateRule.defaults;
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();
/** A submission whose delta sketch is the unit vector at angle `angle` (radians) in the first plane. */
const sub = (minerId: string, minute: number, angle: number, overrides: Partial<SubmissionFacts> = {}) =>
  submissionFacts(minerId, {
    committedAt: at(minute),
    firstCommittedAt: at(minute),
    weights: weightFacts({ deltaSketch: [Math.cos(angle), Math.sin(angle), 0, 0] }),
    ...overrides,
  });
const angleOf = (cosine: number) => Math.acos(cosine);
const judge = (judged: SubmissionFacts, options: ContextOptions, params: Partial<Params> = {}) =>
  duplicateRule.check(contextFor<Params>(duplicateRule, judged, params, options));

describe('duplicate rule', () => {
  it('fails the later of two identical hashes, naming the original, and passes the original', () => {
    const original = sub('m1', 0, 0, { artifactSha256: 'same' });
    const copy = sub('m2', 5, 1, { artifactSha256: 'same', firstCommittedAt: at(0) });
    const pool = [original, copy];
    const outcome = judge(copy, { pool });
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence.original).toEqual({
      jobId: 'job-1',
      minerId: 'm1',
      artifactSha256: 'same',
      firstCommittedAt: at(0),
    });
    expect(outcome.evidence.duplicates).toMatchObject([{ signal: 'hash' }]);
    expect(judge(original, { pool }).passed).toBe(true);
  });

  it('uses the fixed floor when the pool is too small to learn a spread', () => {
    const original = sub('m1', 0, 0);
    const pool = [original, sub('m2', 5, angleOf(0.95))];
    expect(judge(pool[1]!, { pool }).passed).toBe(false);
    const apart = [original, sub('m2', 5, angleOf(0.949))];
    const outcome = judge(apart[1]!, { pool: apart });
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence.deltaCutoff).toMatchObject({ cutoff: 0.95, poolNearestNeighbours: 2 });
  });

  it("raises the cut-off above the floor when honest miners' nearest neighbours are close", () => {
    // Five honest miners whose deltas sit 0.23-0.26 rad (cosine ~0.97) apart: the cut-off is the pool's median
    // nearest-neighbour cosine + 3 MAD (~0.98), not the 0.95 floor, so a sixth at 0.975 from its nearest passes.
    const honest = [0, 0.24, 0.49, 0.72, 0.98].map((angle, i) => sub(`h${i}`, i, angle));
    const near = sub('late', 30, 0.98 + angleOf(0.975));
    const pool = [...honest, near];
    const outcome = judge(near, { pool });
    const cutoff = outcome.evidence.deltaCutoff as { cutoff: number; median: number };
    expect(cutoff.cutoff).toBeGreaterThan(0.97);
    expect(outcome.passed).toBe(true);
    expect(judge(honest[2]!, { pool }).passed).toBe(true);
  });

  it('never lets the pool raise the cut-off past the ceiling', () => {
    const twins = [0, 1e-3, 2e-3, 3e-3].map((angle, i) => sub(`t${i}`, i, angle));
    const outcome = judge(twins[3]!, { pool: twins });
    expect(outcome.evidence.deltaCutoff).toMatchObject({ cutoff: 0.9975 });
    expect(outcome.passed).toBe(false);
  });

  it('fails a near-identical change with another hash, against the earlier commit', () => {
    const original = sub('m1', 0, 0);
    const copy = sub('m2', 5, angleOf(0.999));
    const pool = [original, copy, sub('m3', 1, 1.2), sub('m4', 2, 2.1)];
    const outcome = judge(copy, { pool });
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence.duplicates).toMatchObject([{ signal: 'delta', original: { minerId: 'm1' } }]);
    expect(judge(original, { pool }).passed).toBe(true);
  });

  it('fails near-identical per-example losses even without sketches', () => {
    const noSketch = (minerId: string, minute: number) =>
      submissionFacts(minerId, {
        committedAt: at(minute),
        firstCommittedAt: at(minute),
        weights: weightFacts({ deltaSketch: [] }),
      });
    const pool = [noSketch('m1', 0), noSketch('m2', 5), noSketch('m3', 6)];
    const losses = {
      base: exampleLosses([4, 4, 4, 4], [4, 4]),
      m1: exampleLosses([1, 2, 3, 2], [2, 3]),
      m2: exampleLosses([1.001, 2.001, 3.001, 2.001], [2.001, 3.001]),
      m3: exampleLosses([1.1, 2, 3, 2], [2, 3]),
    };
    const outcome = judge(pool[1]!, { pool, losses });
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence.duplicates).toMatchObject([{ signal: 'losses', original: { minerId: 'm1' } }]);
    // m3 differs on one example by 0.1 nats: a mean gap of 0.017, above 0.002.
    expect(judge(pool[2]!, { pool, losses }).passed).toBe(true);
  });

  it('fails a resubmission in another job on the same base, and ignores priors on other bases', () => {
    const prior = (base: string, sketch: number[]): PriorSubmission => ({
      jobId: 'job-0',
      minerId: 'm1',
      ownerKey: 'ada',
      artifactSha256: 'sha-old',
      firstCommittedAt: at(-60),
      baseWeightsSha256: base,
      deltaSketch: sketch,
    });
    const again = sub('m1', 5, 0);
    const outcome = judge(again, { pool: [again], priors: [prior('sha-base', [1, 0, 0, 0])] });
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence.original).toMatchObject({ jobId: 'job-0', minerId: 'm1' });
    expect(judge(again, { pool: [again], priors: [prior('sha-other', [1, 0, 0, 0])] }).passed).toBe(true);
  });

  it('fails the same hash committed in another job earlier, even on another base', () => {
    const prior: PriorSubmission = {
      jobId: 'job-0',
      minerId: 'm9',
      ownerKey: 'bob',
      artifactSha256: 'same',
      firstCommittedAt: at(0),
      committedAt: at(0),
      baseWeightsSha256: 'sha-other',
      deltaSketch: undefined,
    };
    const later = sub('m1', 5, 0, { artifactSha256: 'same', firstCommittedAt: at(0) });
    expect(judge(later, { pool: [later], priors: [prior] }).evidence.duplicates).toMatchObject([
      { signal: 'hash' },
    ]);
  });

  it('passes distinct honest submissions and reports the nearest one', () => {
    const pool = [sub('m1', 0, 0), sub('m2', 1, 0.6), sub('m3', 2, 1.3)];
    const outcome = judge(pool[1]!, { pool });
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence.nearestDelta).toMatchObject({
      minerId: 'm1',
      cosine: Number(Math.cos(0.6).toFixed(6)),
    });
  });
});
