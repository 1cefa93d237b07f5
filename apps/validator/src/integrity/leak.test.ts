import { describe, expect, it } from 'vitest';
import type { SetLosses } from '../evaluation/facts.js';
import { testLeakRule } from './leak.js';
import { contextFor, submissionFacts } from './test-facts.js';

type Params = typeof testLeakRule.defaults;
/** Honest pool members: test/train ratio 1.0, ln(synthetic/test) 0. */
const honestPool = ['h1', 'h2', 'h3'].map((id) =>
  submissionFacts(id, { losses: { test: 2, synthetic: 2, trainSample: 2 } }),
);
const judge = (
  losses: SetLosses,
  datasetKind: 'knowledge' | 'procedural' = 'knowledge',
  pool = honestPool,
  params: Partial<Params> = {},
) => {
  const judged = submissionFacts('s', { losses });
  return testLeakRule.check(
    contextFor<Params>(testLeakRule, judged, params, { pool: [...pool, judged], datasetKind }),
  );
};

describe('test-leak rule', () => {
  it('passes a submission in line with the pool', () => {
    const outcome = judge({ test: 2.1, synthetic: 2.1, trainSample: 2 });
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence).toMatchObject({
      familiarityRatio: 1.05,
      referenceRatio: 1,
      reference: 'pool median of 3',
    });
  });

  it('fails a model that knows the test rows better than its train rows (knowledge)', () => {
    // ratio 0.94: deficit 0.06 = one ratio scale, score 1.
    const outcome = judge({ test: 1.88, synthetic: 1.88, trainSample: 2 });
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence).toMatchObject({ ratioDeficit: 0.06, score: 1 });
    expect(judge({ test: 1.89, synthetic: 1.89, trainSample: 2 }).passed).toBe(true);
  });

  it('fails a test loss out of line with the synthetic loss', () => {
    // ln(synthetic/test) = 0.06 above the pool's 0: one gap scale.
    const test = 2 / Math.exp(0.06);
    expect(judge({ test, synthetic: 2, trainSample: test }).evidence).toMatchObject({
      gapExcess: 0.06,
      score: 1,
    });
    expect(judge({ test: 2 / Math.exp(0.059), synthetic: 2, trainSample: 2 / Math.exp(0.059) }).passed).toBe(
      true,
    );
  });

  it('adds the two signals: half a scale of each fails together', () => {
    const test = 2 / Math.exp(0.03);
    const outcome = judge({ test, synthetic: 2, trainSample: test / 0.97 });
    expect(outcome.passed).toBe(false);
    expect(Number(outcome.evidence.score)).toBeCloseTo(1, 3);
  });

  it('fails a familiarity ratio below the floor of its kind on its own', () => {
    const pool = ['a', 'b', 'c'].map((id) =>
      submissionFacts(id, { losses: { test: 1.6, synthetic: 1.6, trainSample: 2 } }),
    );
    expect(judge({ test: 1.68, synthetic: 1.68, trainSample: 2 }, 'knowledge', pool).passed).toBe(false);
    expect(judge({ test: 1.7, synthetic: 1.7, trainSample: 2 }, 'knowledge', pool).passed).toBe(true);
  });

  it('uses the procedural thresholds for procedural jobs', () => {
    // ratio deficit 0.05: one procedural ratio scale, below the knowledge one.
    const losses = { test: 1.9, synthetic: 1.9, trainSample: 2 };
    expect(judge(losses, 'procedural').passed).toBe(false);
    expect(judge(losses, 'knowledge').passed).toBe(true);
    expect(judge(losses, 'procedural').evidence).toMatchObject({
      datasetKind: 'procedural',
      thresholds: { ratioScale: 0.05 },
    });
  });

  it('falls back to ratio 1 and the base gap when the pool is too small', () => {
    const outcome = judge({ test: 1.88, synthetic: 1.88, trainSample: 2 }, 'knowledge', []);
    expect(outcome.evidence).toMatchObject({
      reference: 'prior (ratio 1, base advantage)',
      referenceRatio: 1,
    });
    expect(outcome.passed).toBe(false);
  });

  it('fails a submission that was never evaluated', () => {
    const { losses: _, ...unevaluated } = submissionFacts('s');
    expect(testLeakRule.check(contextFor(testLeakRule, unevaluated)).passed).toBe(false);
  });
});
