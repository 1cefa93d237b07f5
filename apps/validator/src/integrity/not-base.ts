// Rule `not-base`: the submission must actually change the model, in its weights (relative distance from the
// base above a tiny epsilon) and in its outputs (per-example losses on test + synthetic differ from the base's).
// It does not ask whether the change helps: a worse model is scored, not refused.

import { Type } from '@sinclair/typebox';
import type { ExampleLosses } from '../evaluation/facts.js';
import type { Rule } from './rule.js';
import { round } from './stats.js';

/** Parameters of the not-base rule. */
const NotBaseParams = Type.Object(
  {
    /** Smallest ‖W − B‖ / ‖B‖ that counts as a change. */
    minRelativeDistance: Type.Number({ minimum: 0, default: 0.01 }),
    /** Smallest mean |loss − base loss| per example over test + synthetic, in nats per answer token. */
    minMeanAbsLossChange: Type.Number({ minimum: 0, default: 0.02 }),
  },
  { additionalProperties: false },
);

/** Mean and max |a − b| over test + synthetic examples; undefined when the sets do not line up. */
function lossChange(a: ExampleLosses, b: ExampleLosses): { mean: number; max: number } | undefined {
  if (a.test.length !== b.test.length || a.synthetic.length !== b.synthetic.length) return undefined;
  let sum = 0;
  let max = 0;
  let count = 0;
  for (const [x, y] of [
    [a.test, b.test],
    [a.synthetic, b.synthetic],
  ] as const) {
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i]! - y[i]!);
      if (!Number.isFinite(d)) continue;
      sum += d;
      max = Math.max(max, d);
      count++;
    }
  }
  return count === 0 ? undefined : { mean: sum / count, max };
}

/** The submission changes the base's weights and its outputs. */
export const notBaseRule: Rule<typeof NotBaseParams> = {
  id: 'not-base',
  summary:
    "The submission must change the model: its weights move from the base by more than a tiny epsilon and its per-example losses differ from the base's.",
  toPass:
    'Actually fine-tune; re-submitting the base, or the base with rounding noise, changes nothing measurable.',
  params: NotBaseParams,
  defaults: { minRelativeDistance: 0.01, minMeanAbsLossChange: 0.02 },
  defaultAction: 'zero',
  check({ params, base, submission, exampleLosses }) {
    const distance = submission.weights?.relativeDistance;
    const own = exampleLosses(submission.minerId);
    const baseLosses = exampleLosses('base');
    const change = own && baseLosses ? lossChange(own, baseLosses) : undefined;
    // Without per-example losses the mean losses still show whether the outputs moved at all.
    const fallback =
      change === undefined && submission.losses
        ? {
            mean: Math.max(
              Math.abs(submission.losses.test - base.losses.test),
              Math.abs(submission.losses.synthetic - base.losses.synthetic),
            ),
            max: Number.NaN,
          }
        : undefined;
    const outputs = change ?? fallback;
    const weightsMoved = distance !== undefined && distance > params.minRelativeDistance;
    const outputsMoved = outputs !== undefined && outputs.mean > params.minMeanAbsLossChange;
    return {
      passed: weightsMoved && outputsMoved,
      evidence: {
        relativeDistance: distance === undefined ? null : distance,
        minRelativeDistance: params.minRelativeDistance,
        meanAbsLossChange: outputs ? round(outputs.mean, 6) : null,
        maxAbsLossChange: outputs ? round(outputs.max, 6) : null,
        minMeanAbsLossChange: params.minMeanAbsLossChange,
        lossSource: change ? 'per_example' : fallback ? 'means' : 'none',
        weightsMoved,
        outputsMoved,
      },
    };
  },
};
