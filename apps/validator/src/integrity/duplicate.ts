// Rule `duplicate`: the same or a near-identical model submitted more than once: an identical artifact hash,
// near-identical weight deltas (cosine of delta sketches) or near-identical per-example losses, against the
// other miners of this job and against submissions of other jobs on the same base. The earliest commit keeps
// its score; a later one fails, naming the original. The delta cut-off is learnt from the job's own pool (how
// close honest miners' nearest neighbours are), so a pool of look-alike honest recipes does not get flagged.

import { Type } from '@sinclair/typebox';
import type { SubmissionFacts } from '../evaluation/facts.js';
import type { PriorSubmission, Rule, RuleContext } from './rule.js';
import { correlation, cosine, poolCutoff, round, timeOf } from './stats.js';

/** Parameters of the duplicate rule. */
const DuplicateParams = Type.Object(
  {
    /** The delta cut-off never goes below this (honest miners on one dataset reach ~0.85 on real bases). */
    deltaCosineFloor: Type.Number({ minimum: -1, maximum: 1, default: 0.95 }),
    /** ... nor above this (measured on tiny models: re-trained copies >= 0.9986, honest same-recipe runs <= 0.9955). */
    deltaCosineCeiling: Type.Number({ minimum: -1, maximum: 1, default: 0.9975 }),
    /** Scaled MADs above the pool's median nearest-neighbour cosine. */
    deltaCosineK: Type.Number({ minimum: 0, default: 3 }),
    /** Pool submissions with sketches needed before the pool statistics are used (else the floor). */
    minPoolForSpread: Type.Integer({ minimum: 2, default: 4 }),
    /** Near-identical outputs: mean |loss_a − loss_b| per example at most this (nats per answer token) ... */
    maxMeanLossGap: Type.Number({ minimum: 0, default: 0.002 }),
    /** ... and correlation of (loss − base loss) across examples at least this. */
    minLossCorrelation: Type.Number({ minimum: -1, maximum: 1, default: 0.995 }),
  },
  { additionalProperties: false },
);
type Params = typeof DuplicateParams.static;

/** Something the judged submission may duplicate. */
interface Candidate {
  jobId: string;
  minerId: string;
  artifactSha256: string;
  firstCommittedAt: string;
  committedAt: string | undefined;
  deltaSketch: readonly number[] | undefined;
  /** Only for this job's pool: per-example losses line up. */
  facts?: SubmissionFacts;
}

/** Whether `a` came first: earlier firstCommittedAt, then earlier commit, then job and miner id. */
function earlier(a: Candidate, b: Candidate): boolean {
  const keys = (c: Candidate) => [timeOf(c.firstCommittedAt), timeOf(c.committedAt ?? c.firstCommittedAt)];
  const [a1, a2] = keys(a);
  const [b1, b2] = keys(b);
  if (a1 !== b1) return a1! < b1!;
  if (a2 !== b2) return a2! < b2!;
  return `${a.jobId}\u0000${a.minerId}` < `${b.jobId}\u0000${b.minerId}`;
}

function fromFacts(jobId: string, facts: SubmissionFacts): Candidate {
  return {
    jobId,
    minerId: facts.minerId,
    artifactSha256: facts.artifactSha256,
    firstCommittedAt: facts.firstCommittedAt,
    committedAt: facts.minerFirstCommittedAt ?? facts.committedAt,
    deltaSketch: facts.weights?.deltaSketch,
    facts,
  };
}

function fromPrior(prior: PriorSubmission): Candidate {
  return { ...prior, committedAt: prior.committedAt, deltaSketch: prior.deltaSketch };
}

/** One model's test and synthetic per-example losses end to end, and their change from the base's. */
interface LossRows {
  losses: Float64Array;
  change: Float64Array;
}

/**
 * Each judged pool's loss rows, built once (the pool array is built once per judging of a job): the rule
 * compares every pair of the pool's submissions, so copying the rows per pair dominated judging big pools.
 */
const poolRows = new WeakMap<readonly SubmissionFacts[], Map<string, LossRows | undefined>>();

function lossRows(context: RuleContext<Params>, minerId: string): LossRows | undefined {
  let rows = poolRows.get(context.pool);
  if (!rows) poolRows.set(context.pool, (rows = new Map()));
  if (rows.has(minerId)) return rows.get(minerId);
  const own = context.exampleLosses(minerId);
  const base = context.exampleLosses('base');
  let found: LossRows | undefined;
  if (own && base && (['test', 'synthetic'] as const).every((set) => own[set].length === base[set].length)) {
    const losses = Float64Array.from([...own.test, ...own.synthetic]);
    const baseLosses = [...base.test, ...base.synthetic];
    found = { losses, change: losses.map((loss, i) => loss - baseLosses[i]!) };
  }
  rows.set(minerId, found);
  return found;
}

/** Per-example losses compared: mean |a − b| and the correlation of their changes from the base. */
function lossSimilarity(
  context: RuleContext<Params>,
  a: string,
  b: string,
): { gap: number; correlation: number } | undefined {
  const ra = lossRows(context, a);
  const rb = lossRows(context, b);
  if (!ra || !rb || ra.losses.length !== rb.losses.length || ra.losses.length === 0) return undefined;
  let gap = 0;
  for (let i = 0; i < ra.losses.length; i++) gap += Math.abs(ra.losses[i]! - rb.losses[i]!);
  return { gap: gap / ra.losses.length, correlation: correlation(ra.change, rb.change) };
}

/**
 * Each pool's nearest-neighbour cosines, computed on its first submission and shared by the rest: the pool
 * array is built once per judging of a job (judge-job.ts). Per submission it made judging a job cubic in its
 * size (8 s for 256 submissions here).
 */
const poolCosines = new WeakMap<readonly SubmissionFacts[], number[]>();

/** Each pool submission's highest sketch cosine to another miner's: how close honest neighbours get. */
function nearestNeighbourCosines(pool: readonly SubmissionFacts[]): number[] {
  const cached = poolCosines.get(pool);
  if (cached) return cached;
  const cosines = pairwiseNearest(pool);
  poolCosines.set(pool, cosines);
  return cosines;
}

function pairwiseNearest(pool: readonly SubmissionFacts[]): number[] {
  const sketched = pool.filter((facts) => facts.weights && facts.weights.deltaSketch.length > 0);
  return sketched.map((facts) =>
    Math.max(
      ...sketched
        .filter((other) => other.minerId !== facts.minerId)
        .map((other) => cosine(facts.weights!.deltaSketch, other.weights!.deltaSketch))
        .filter(Number.isFinite),
    ),
  );
}

/** A match: which signal, its value and cut-off, and the original it points to. */
interface Match {
  signal: 'hash' | 'delta' | 'losses';
  value: number | string;
  cutoff: number | string;
  original: { jobId: string; minerId: string; artifactSha256: string; firstCommittedAt: string };
}

/** Identical or near-identical to an earlier submission of this job or of another job on the same base. */
export const duplicateRule: Rule<typeof DuplicateParams> = {
  id: 'duplicate',
  summary:
    "Identical artifact hashes, near-identical weight deltas (sketch cosine above a cut-off learnt from the job's honest spread) or near-identical per-example losses, within the job and across jobs on the same base: the earliest commit keeps its score.",
  toPass:
    'Train your own model: a copy stays near-identical in its weight change unless retrained far enough to be a fine-tune of its own.',
  params: DuplicateParams,
  defaults: {
    deltaCosineFloor: 0.95,
    deltaCosineCeiling: 0.9975,
    deltaCosineK: 3,
    minPoolForSpread: 4,
    maxMeanLossGap: 0.002,
    minLossCorrelation: 0.995,
  },
  defaultAction: 'zero',
  check(context) {
    const { params, submission } = context;
    const self = fromFacts(context.jobId, submission);
    const spread = poolCutoff(nearestNeighbourCosines(context.pool), {
      floor: params.deltaCosineFloor,
      ceiling: params.deltaCosineCeiling,
      k: params.deltaCosineK,
      minSamples: params.minPoolForSpread,
    });
    const candidates = [
      ...context.pool
        .filter((other) => other.minerId !== submission.minerId)
        .map((f) => fromFacts(context.jobId, f)),
      ...context.priors
        .filter((prior) => prior.jobId !== context.jobId)
        .filter(
          (prior) =>
            prior.artifactSha256 === submission.artifactSha256 ||
            prior.baseWeightsSha256 === context.base.weightsSha256,
        )
        .map(fromPrior),
    ];
    const matches: Match[] = [];
    let nearest = { cosine: Number.NEGATIVE_INFINITY, jobId: '', minerId: '' };
    let closestLosses = { gap: Number.POSITIVE_INFINITY, correlation: Number.NaN, minerId: '' };
    for (const other of candidates) {
      const original = {
        jobId: other.jobId,
        minerId: other.minerId,
        artifactSha256: other.artifactSha256,
        firstCommittedAt: other.firstCommittedAt,
      };
      const found: Match[] = [];
      if (other.artifactSha256 === submission.artifactSha256) {
        found.push({ signal: 'hash', value: submission.artifactSha256, cutoff: 'identical', original });
      }
      const sketch = submission.weights?.deltaSketch;
      const similarity = sketch && other.deltaSketch ? cosine(sketch, other.deltaSketch) : Number.NaN;
      if (similarity > nearest.cosine)
        nearest = { cosine: similarity, jobId: other.jobId, minerId: other.minerId };
      if (similarity >= spread.cutoff) {
        found.push({
          signal: 'delta',
          value: round(similarity, 6),
          cutoff: round(spread.cutoff, 6),
          original,
        });
      }
      if (other.facts) {
        const losses = lossSimilarity(context, submission.minerId, other.minerId);
        if (losses && losses.gap < closestLosses.gap) closestLosses = { ...losses, minerId: other.minerId };
        if (
          losses &&
          losses.gap <= params.maxMeanLossGap &&
          losses.correlation >= params.minLossCorrelation
        ) {
          found.push({
            signal: 'losses',
            value: round(losses.gap, 6),
            cutoff: params.maxMeanLossGap,
            original,
          });
        }
      }
      if (found.length > 0 && earlier(other, self)) matches.push(...found);
    }
    return {
      passed: matches.length === 0,
      evidence: {
        duplicates: matches,
        original: matches[0]?.original ?? null,
        nearestDelta: Number.isFinite(nearest.cosine)
          ? { cosine: round(nearest.cosine, 6), jobId: nearest.jobId, minerId: nearest.minerId }
          : null,
        deltaCutoff: {
          cutoff: round(spread.cutoff, 6),
          floor: spread.floor,
          ceiling: spread.ceiling,
          k: params.deltaCosineK,
          poolNearestNeighbours: spread.samples,
          median: round(spread.median, 6),
          mad: round(spread.mad, 6),
        },
        closestLosses: Number.isFinite(closestLosses.gap)
          ? {
              ...closestLosses,
              gap: round(closestLosses.gap, 6),
              correlation: round(closestLosses.correlation, 6),
            }
          : null,
        lossCutoff: { maxMeanLossGap: params.maxMeanLossGap, minLossCorrelation: params.minLossCorrelation },
        comparedWith: candidates.length,
      },
    };
  },
};
