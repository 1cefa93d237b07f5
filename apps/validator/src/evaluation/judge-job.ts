// Judges and scores one evaluated job from storage: decodes the stored facts and loss blobs of the base and
// every accepted miner, builds each submission's rule context (pool, owners, limits, other jobs' submissions),
// runs the competition's rules and the pure scoring, and stores the scores. The evaluation pool calls it after
// evaluating; a re-score calls it alone, so both give the same numbers from the same stored facts.

import { getDataset } from '@tuning-arena/datasets';
import { createRng } from '@tuning-arena/engine';
import { decodeBody } from '@tuning-arena/protocol';
import type { CompetitionRow, CompetitionsRepo } from '../db/competitions-repo.js';
import type { EvaluationsRepo } from '../db/evaluations-repo.js';
import type { JobRow } from '../db/jobs-repo.js';
import type { MinersRepo } from '../db/miners-repo.js';
import type { OffersRepo } from '../db/offers-repo.js';
import type { RulesRepo } from '../db/rules-repo.js';
import type { ScoreRow, ScoresRepo } from '../db/scores-repo.js';
import { ValidatorError } from '../errors.js';
import type { PriorSubmission } from '../integrity/rule.js';
import {
  type ConfiguredRule,
  defaultRuleSettings,
  judgeSubmission,
  RULES,
  storedRuleParams,
} from '../integrity/rules.js';
import { type AcceptedMiner, type StoredScore, scoreStoredJob } from '../scoring/score-stored-job.js';
import { BaseFacts, decodeExampleLosses, type ExampleLosses, SubmissionFacts } from './facts.js';

/** What judging a job needs. */
export interface JudgeDeps {
  evaluations: EvaluationsRepo;
  offers: OffersRepo;
  miners: MinersRepo;
  competitions: CompetitionsRepo;
  rules: RulesRepo;
  scores: ScoresRepo;
  now: () => number;
}

/** The competition's rules with their settings (defaults where the operator set none). */
export async function configuredRules(rules: RulesRepo, competitionId: string): Promise<ConfiguredRule[]> {
  const stored = new Map((await rules.settings(competitionId)).map((row) => [row.rule_id, row]));
  return defaultRuleSettings(RULES).map(({ rule, setting }) => {
    const row = stored.get(rule.id);
    if (!row) return { rule, setting };
    return {
      rule,
      setting: {
        enabled: row.enabled === 1,
        action: row.action,
        params: storedRuleParams(rule, JSON.parse(row.params_json)),
      },
    };
  });
}

function decodeFacts<T>(
  schema: typeof BaseFacts | typeof SubmissionFacts,
  json: string | null,
): T | undefined {
  if (json === null) return undefined;
  const decoded = decodeBody(schema, JSON.parse(json));
  return decoded.ok ? (decoded.value as T) : undefined;
}

/** A stable seed per job, so a re-score draws the same bootstrap resamples. */
function jobSeed(jobId: string): number {
  let h = 2166136261;
  for (let i = 0; i < jobId.length; i++) h = Math.imul(h ^ jobId.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** `knowledge` unless the job's dataset is a procedural family (thresholds of the leak rule differ). */
function datasetKind(dataset: string): 'knowledge' | 'procedural' {
  try {
    return getDataset(dataset).kind === 'procedural' ? 'procedural' : 'knowledge';
  } catch {
    return 'knowledge';
  }
}

/** Judges and scores an evaluated job, stores its scores (job -> `scored`) and returns them. */
export async function judgeJob(deps: JudgeDeps, job: JobRow): Promise<StoredScore[]> {
  const competition = (await deps.competitions.get(job.competition_id)) as CompetitionRow;
  const items = await deps.evaluations.items(job.id);
  const baseItem = items.find((item) => item.subject === 'base');
  const baseFacts = decodeFacts<BaseFacts>(BaseFacts, baseItem?.facts_json ?? null);
  const baseLosses = baseItem?.losses ? decodeExampleLosses(baseItem.losses) : undefined;
  if (!baseFacts || !baseLosses) {
    throw new ValidatorError('internal_error', `job ${job.id} has no evaluated base`, { status: 500 });
  }
  const miners = await deps.miners.listByCompetition(job.competition_id);
  const ownerOf = new Map(miners.map((miner) => [miner.id, miner.owner_key]));
  const accepted = (await deps.offers.listByJob(job.id)).filter((offer) => offer.status === 'accepted');
  const losses = new Map<string, ExampleLosses>();
  const acceptedMiners: AcceptedMiner[] = accepted.map(({ miner_id }) => {
    const item = items.find((candidate) => candidate.subject === miner_id && candidate.status === 'done');
    const facts = decodeFacts<SubmissionFacts>(SubmissionFacts, item?.facts_json ?? null);
    const blob = item?.losses ? decodeExampleLosses(item.losses) : undefined;
    if (blob) losses.set(miner_id, blob);
    return { minerId: miner_id, facts, losses: blob };
  });
  const pool = acceptedMiners.flatMap(({ facts }) => (facts ? [facts] : []));
  const priors: PriorSubmission[] = (await deps.evaluations.priorItems(job.id)).flatMap((row) => {
    const facts = decodeFacts<SubmissionFacts>(SubmissionFacts, row.facts_json);
    if (!facts) return [];
    return [
      {
        jobId: row.job_id,
        minerId: row.subject,
        ownerKey: row.owner_key,
        artifactSha256: facts.artifactSha256,
        firstCommittedAt: facts.firstCommittedAt,
        committedAt: facts.minerFirstCommittedAt ?? facts.committedAt,
        baseWeightsSha256: row.base_weights_sha256,
        deltaSketch: facts.weights?.deltaSketch,
      },
    ];
  });
  const rules = await configuredRules(deps.rules, job.competition_id);
  const kind = datasetKind(job.dataset);
  const minersOfOwner = (ownerKey: string) =>
    miners.filter((miner) => miner.owner_key === ownerKey).map((m) => m.id);
  const rng = createRng(jobSeed(job.id));
  const scores = scoreStoredJob({
    base: { facts: baseFacts, losses: baseLosses },
    accepted: acceptedMiners,
    settings: {
      weightTest: competition.weight_test,
      tau: competition.tau,
      missFactor: competition.miss_factor,
    },
    judge: (submission) =>
      judgeSubmission(rules, {
        jobId: job.id,
        base: baseFacts,
        submission,
        pool,
        exampleLosses: (minerId) => (minerId === 'base' ? baseLosses : losses.get(minerId)),
        ownerOf: (minerId) => ownerOf.get(minerId) ?? minerId,
        limits: {
          maxMiners: competition.max_miners,
          maxMinersPerOwner: competition.max_miners_per_owner,
          minersOfOwner,
          minersInCompetition: miners.length,
        },
        priors,
        datasetKind: kind,
      }),
    uniform: () => rng.uniform(),
  });
  const at = new Date(deps.now()).toISOString();
  const rows: ScoreRow[] = scores.map((score) => ({
    job_id: job.id,
    miner_id: score.minerId,
    competition_id: job.competition_id,
    status: score.status,
    quality: score.quality,
    test: score.test,
    synthetic: score.synthetic,
    combined: score.combined,
    interval_lo: score.interval?.[0] ?? null,
    interval_hi: score.interval?.[1] ?? null,
    verdicts_json: JSON.stringify(score.verdicts),
    scored_at: at,
  }));
  await deps.scores.replaceForJob(job.id, rows);
  return scores;
}
