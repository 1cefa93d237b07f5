import { describe, expect, it } from 'vitest';
import { notBaseRule } from './not-base.js';
import { contextFor, exampleLosses, submissionFacts, weightFacts } from './test-facts.js';

const baseLosses = exampleLosses([4, 4, 4], [4, 4], [4]);
const judge = (relativeDistance: number, test: number[], synthetic: number[], losses = true) => {
  const facts = submissionFacts('m1', { weights: weightFacts({ relativeDistance }) });
  const options = losses ? { losses: { m1: exampleLosses(test, synthetic), base: baseLosses } } : {};
  return notBaseRule.check(contextFor(notBaseRule, facts, {}, options));
};

describe('not-base rule', () => {
  it('passes a fine-tune that moved its weights and its losses', () => {
    const outcome = judge(0.4, [2, 2, 3], [2, 3]);
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence).toMatchObject({
      meanAbsLossChange: 1.6,
      maxAbsLossChange: 2,
      lossSource: 'per_example',
    });
  });

  it('fails the untouched base', () => {
    const outcome = judge(0, [4, 4, 4], [4, 4]);
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence).toMatchObject({ weightsMoved: false, outputsMoved: false });
  });

  it('fails weights moved by less than the epsilon even if outputs moved', () => {
    expect(judge(0.01, [2, 2, 2], [2, 2]).evidence).toMatchObject({
      weightsMoved: false,
      outputsMoved: true,
    });
    expect(judge(0.0101, [2, 2, 2], [2, 2]).passed).toBe(true);
  });

  it('fails weights that moved without changing the outputs (noise on the base)', () => {
    const outcome = judge(0.4, [4.01, 3.99, 4], [4.02, 4]);
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence).toMatchObject({
      weightsMoved: true,
      outputsMoved: false,
      minMeanAbsLossChange: 0.02,
    });
  });

  it('falls back to the mean losses when per-example losses are missing', () => {
    const outcome = judge(0.4, [], [], false);
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence).toMatchObject({ lossSource: 'means' });
  });
});
