// Rule `test-leak` (in leak.ts: files named test-*.ts are test helpers, kept out of the build): a submission
// that knows the hidden test rows better than it should. Its gains over the base on the synthetic set and on
// a sample of its own train rows predict, through the job's pool (leak-model.ts), how much it should gain on
// the test rows. It fails when it gains more than that by a material amount (`minExcess` nats, per dataset
// kind) that is also beyond the rows' noise (`minZ` bootstrap standard deviations), or when it knows the test
// rows far better than its train rows (`minFamiliarityRatio`). It does not look at any test row itself.

import { Type } from '@sinclair/typebox';
import { createSeededRng } from '@tuning-arena/random';
import type { ExampleLosses, SubmissionFacts } from '../evaluation/facts.js';
import {
  excessNoise,
  gainsOver,
  isReferencePeer,
  type LeakExcess,
  leakExcess,
  nearestPeersOfAll,
  resampleMeans,
} from './leak-model.js';
import type { Rule, RuleContext } from './rule.js';
import { round } from './stats.js';

/** Thresholds of one dataset kind. */
interface LeakThresholds {
  /** Fails outright when test / trainSample is below this. */
  minFamiliarityRatio: number;
  /** An excess test gain (nats) below this passes, however significant. */
  minExcess: number;
}

const KNOWLEDGE: LeakThresholds = { minFamiliarityRatio: 0.85, minExcess: 0.2 };
const PROCEDURAL: LeakThresholds = { minFamiliarityRatio: 0.9, minExcess: 0.08 };

function thresholdsSchema(defaults: LeakThresholds) {
  return Type.Object(
    {
      minFamiliarityRatio: Type.Number({ minimum: 0, default: defaults.minFamiliarityRatio }),
      minExcess: Type.Number({ minimum: 0, default: defaults.minExcess }),
    },
    { additionalProperties: false, default: defaults },
  );
}

/** Parameters of the test-leak rule. */
const TestLeakParams = Type.Object(
  {
    knowledge: thresholdsSchema(KNOWLEDGE),
    procedural: thresholdsSchema(PROCEDURAL),
    /** Peers that gained on both reference sets, needed before the excess is judged at all. */
    minPool: Type.Integer({ minimum: 1, default: 3 }),
    /** The excess must also be this many bootstrap standard deviations above 0. */
    minZ: Type.Number({ minimum: 0, default: 3 }),
    /** How strongly the pool's ratio favours peers at the submission's stage of training (log-gain scale). */
    // At least 0.2: below it the weight of a peer many times as far along underflows to 0, every weight of a
    // submission can vanish and its excess would be NaN (a failure for everyone). Above 100 it is flat anyway.
    bandwidth: Type.Number({ minimum: 0.2, maximum: 100, default: 0.5 }),
  },
  { additionalProperties: false },
);

const DEFAULTS = { knowledge: KNOWLEDGE, procedural: PROCEDURAL, minPool: 3, minZ: 3, bandwidth: 0.5 };

/**
 * Row resamples of the noise estimate (seeded by the job, so a re-score gives the same verdicts): 200, fewer
 * past 64 submissions (the cost grows with the pool), never under 50 (a standard deviation within ~10 %).
 */
const resamplesFor = (submissions: number) => Math.max(50, Math.min(200, Math.floor(12_800 / submissions)));

/** Peers each submission is compared with, at most (the nearest by synthetic gain; see nearestPeersOfAll). */
const MAX_PEERS = 32;

/** What the rule measured for every submission of one pool. */
interface PoolLeak {
  bandwidth: number;
  /** The pool's submissions that gained on both reference sets (isReferencePeer). */
  referencePeers: ReadonlySet<string>;
  /** Per miner: its excess against its nearest peers. */
  excessOf: ReadonlyMap<string, LeakExcess>;
  /** Per miner: the bootstrap noise of that excess (run on first use: only judged submissions need it). */
  noise(): ReadonlyMap<string, number>;
}

/**
 * Every submission of one judged pool measured at once, on its first submission, and shared by the rest (one
 * bootstrap for the pool, not one per submission): the pool array is built once per judging of a job
 * (judge-job.ts), so it identifies that run. Keyed by bandwidth too, the one parameter it depends on.
 */
const pools = new WeakMap<readonly SubmissionFacts[], PoolLeak>();

function measurePool(context: RuleContext<{ bandwidth: number }>): PoolLeak {
  const { bandwidth } = context.params;
  const cached = pools.get(context.pool);
  if (cached?.bandwidth === bandwidth) return cached;
  const evaluated = context.pool.filter((facts) => facts.losses);
  const gains = evaluated.map((facts) => gainsOver(context.base.losses, facts.losses!));
  const nearest = nearestPeersOfAll(gains, MAX_PEERS);
  const peersOf = new Map(
    evaluated.map((facts, i) => [facts.minerId, nearest[i]!.map((j) => evaluated[j]!.minerId)]),
  );
  let noise: Map<string, number> | undefined;
  const measured: PoolLeak = {
    bandwidth,
    referencePeers: new Set(evaluated.filter((_, i) => isReferencePeer(gains[i]!)).map((f) => f.minerId)),
    excessOf: new Map(
      evaluated.map((facts, i) => [
        facts.minerId,
        leakExcess(
          gains[i]!,
          nearest[i]!.map((j) => gains[j]!),
          bandwidth,
        ),
      ]),
    ),
    noise() {
      noise ??= bootstrapNoise(context, evaluated, peersOf, bandwidth);
      return noise;
    },
  };
  pools.set(context.pool, measured);
  return measured;
}

/** The excess noise of every evaluated submission, from a row bootstrap seeded by the job. */
function bootstrapNoise(
  context: RuleContext<unknown>,
  evaluated: readonly SubmissionFacts[],
  peersOf: ReadonlyMap<string, readonly string[]>,
  bandwidth: number,
): Map<string, number> {
  const baseRows = context.exampleLosses('base');
  if (!baseRows) return new Map();
  const rows = new Map<string, ExampleLosses>();
  for (const facts of evaluated) {
    const losses = context.exampleLosses(facts.minerId);
    if (losses) rows.set(facts.minerId, losses);
  }
  const rng = createSeededRng(`test-leak\u0000${context.jobId}`);
  const table = resampleMeans(baseRows, rows, {
    resamples: resamplesFor(evaluated.length),
    uniform: () => rng.uniform(),
  });
  return excessNoise(table, peersOf, bandwidth);
}

/** Gains on test beyond what its synthetic and train-sample gains predict, or knows test rows too well. */
export const testLeakRule: Rule<typeof TestLeakParams> = {
  id: 'test-leak',
  summary:
    "A model that gains on the hidden test rows more than its gains on the fresh synthetic set and on its own train rows predict (the ratios read off the job's pool), beyond the rows' noise, or that knows the test rows far better than its train rows, trained on the test rows.",
  toPass:
    'Do not train on the test rows; a leak shows as a test gain out of line with the synthetic and train-sample gains.',
  params: TestLeakParams,
  defaults: DEFAULTS,
  defaultAction: 'worse_of',
  check(context) {
    const { params, base, submission, datasetKind } = context;
    const losses = submission.losses;
    const thresholds = params[datasetKind];
    if (!losses)
      return { passed: false, evidence: { reason: 'no losses (the submission was not evaluated)' } };
    const own = gainsOver(base.losses, losses);
    const measured = measurePool(context);
    const { referencePeers: references } = measured;
    const referencePeers = references.size - (references.has(submission.minerId) ? 1 : 0);
    const familiarityRatio = losses.test / losses.trainSample;
    const familiar = !(familiarityRatio >= thresholds.minFamiliarityRatio);
    const judged = referencePeers >= params.minPool;
    const found = judged ? measured.excessOf.get(submission.minerId) : undefined;
    const noise = found ? (measured.noise().get(submission.minerId) ?? Number.NaN) : Number.NaN;
    const z = found && Number.isFinite(noise) ? found.excess / noise : Number.NaN;
    const material = found !== undefined && found.excess >= thresholds.minExcess;
    // Without per-example losses the noise is unknown and the effect size decides alone.
    const significant = Number.isNaN(z) || z >= params.minZ;
    // A loss that is not finite (a model that puts zero probability on some answer) cannot be judged: fail.
    const broken = ![own.test, own.synthetic, own.trainSample, found?.excess ?? 0].every(Number.isFinite);
    return {
      passed: !familiar && !broken && !(material && significant),
      evidence: {
        datasetKind,
        familiarityRatio: round(familiarityRatio),
        gains: {
          test: round(own.test),
          synthetic: round(own.synthetic),
          trainSample: round(own.trainSample),
        },
        reference: judged
          ? `${referencePeers} pool peers that gained on both reference sets`
          : `not judged: ${referencePeers} pool peers gained on both reference sets, ${params.minPool} needed`,
        ...(found && {
          syntheticRatio: round(found.syntheticRatio),
          trainRatio: round(found.trainRatio),
          syntheticExcess: round(found.syntheticExcess),
          trainExcess: round(found.trainExcess),
          excess: round(found.excess),
          noise: Number.isFinite(noise) ? round(noise) : null,
          z: Number.isFinite(z) ? round(z, 2) : null,
        }),
        thresholds: { ...thresholds, minZ: params.minZ },
      },
    };
  },
};
