// Rule `test-leak` (in leak.ts: files named test-*.ts are test helpers, kept out of the build): a submission
// that knows the hidden test rows better than it should. Two signals, each against the rest of the job's pool:
// familiarity (test / train-sample loss ratio: honest models know the rows they trained on at least as well as
// unseen test rows) and test advantage (ln(synthetic / test): a model trained on the test rows gains on test
// what it cannot gain on the fresh synthetic set). The deficits are summed on per-dataset-kind scales, because
// procedural families hide a leak far better than knowledge sets. It does not look at any test row itself.

import { Type } from '@sinclair/typebox';
import type { SetLosses } from '../evaluation/facts.js';
import type { Rule } from './rule.js';
import { median, round } from './stats.js';

/** Thresholds of one dataset kind. */
interface LeakThresholds {
  /** Fails outright when test / trainSample is below this. */
  minFamiliarityRatio: number;
  /** A familiarity deficit (reference ratio − own ratio) of this much counts fully. */
  ratioScale: number;
  /** A test advantage (own ln(synthetic/test) − reference) of this much counts fully. */
  gapScale: number;
}

const KNOWLEDGE: LeakThresholds = { minFamiliarityRatio: 0.85, ratioScale: 0.06, gapScale: 0.06 };
const PROCEDURAL: LeakThresholds = { minFamiliarityRatio: 0.9, ratioScale: 0.05, gapScale: 0.06 };

function thresholdsSchema(defaults: LeakThresholds) {
  return Type.Object(
    {
      minFamiliarityRatio: Type.Number({ minimum: 0, default: defaults.minFamiliarityRatio }),
      ratioScale: Type.Number({ exclusiveMinimum: 0, default: defaults.ratioScale }),
      gapScale: Type.Number({ exclusiveMinimum: 0, default: defaults.gapScale }),
    },
    { additionalProperties: false, default: defaults },
  );
}

/** Parameters of the test-leak rule: thresholds per dataset kind. */
const TestLeakParams = Type.Object(
  {
    knowledge: thresholdsSchema(KNOWLEDGE),
    procedural: thresholdsSchema(PROCEDURAL),
    /** Other pool submissions with losses needed for pool references (else ratio 1 and the base's gap). */
    minPool: Type.Integer({ minimum: 1, default: 3 }),
  },
  { additionalProperties: false },
);

const DEFAULTS = { knowledge: KNOWLEDGE, procedural: PROCEDURAL, minPool: 3 };

const ratio = (losses: SetLosses) => losses.test / losses.trainSample;
const gap = (losses: SetLosses) => Math.log(losses.synthetic / losses.test);

/** Knows the hidden test rows better than the train rows it was given, or gains on test alone. */
export const testLeakRule: Rule<typeof TestLeakParams> = {
  id: 'test-leak',
  summary:
    "A model that knows the hidden test rows as well as its own train rows, or improves on test beyond what it shows on the fresh synthetic set, compared with the job's pool, trained on the test rows.",
  toPass:
    'Do not train on the test rows; a leak shows as test rows more familiar than train rows and a test loss out of line with the synthetic one.',
  params: TestLeakParams,
  defaults: DEFAULTS,
  defaultAction: 'worse_of',
  check({ params, base, submission, pool, datasetKind }) {
    const losses = submission.losses;
    const thresholds = params[datasetKind];
    if (!losses)
      return { passed: false, evidence: { reason: 'no losses (the submission was not evaluated)' } };
    const others = pool
      .filter((facts) => facts.minerId !== submission.minerId && facts.losses)
      .map((f) => f.losses!);
    const fromPool = others.length >= params.minPool;
    const referenceRatio = fromPool ? median(others.map(ratio)) : 1;
    const referenceGap = fromPool ? median(others.map(gap)) : gap(base.losses);
    const ownRatio = ratio(losses);
    const ownGap = gap(losses);
    const ratioDeficit = referenceRatio - ownRatio;
    const gapExcess = ownGap - referenceGap;
    const score = ratioDeficit / thresholds.ratioScale + gapExcess / thresholds.gapScale;
    const unfamiliar = ownRatio >= thresholds.minFamiliarityRatio;
    const finite = Number.isFinite(score);
    return {
      passed: finite && unfamiliar && score < 1,
      evidence: {
        datasetKind,
        familiarityRatio: round(ownRatio),
        referenceRatio: round(referenceRatio),
        testAdvantage: round(ownGap),
        referenceAdvantage: round(referenceGap),
        reference: fromPool ? `pool median of ${others.length}` : 'prior (ratio 1, base advantage)',
        ratioDeficit: round(ratioDeficit),
        gapExcess: round(gapExcess),
        score: round(score),
        maxScore: 1,
        thresholds,
      },
    };
  },
};
