// The judge as the operator and the miners see it: a job's results (base, every submission with its
// verdicts, intervals and improvement, the misses), the competition's leaderboard (miners and owners), the
// rules with their settings and changes (audited), re-scores from stored facts, and the `job.result` frames
// miners get when a job is scored or when they reconnect. Evaluation itself runs in evaluation/.

import type {
  AuditEntryView,
  JobResult,
  JobResultsView,
  LeaderboardView,
  RuleView,
  SubmissionResultView,
  VerdictView,
} from '@tuning-arena/protocol';
import type { CompetitionsRepo } from '../db/competitions-repo.js';
import type { EvaluationsRepo } from '../db/evaluations-repo.js';
import type { JobRow, JobsRepo } from '../db/jobs-repo.js';
import type { MinersRepo } from '../db/miners-repo.js';
import type { OffersRepo } from '../db/offers-repo.js';
import type { RulesRepo } from '../db/rules-repo.js';
import type { ScoreRow, ScoresRepo } from '../db/scores-repo.js';
import type { SubmissionsRepo } from '../db/submissions-repo.js';
import { ValidatorError } from '../errors.js';
import type { BaseFacts } from '../evaluation/facts.js';
import { configuredRules, judgeJob } from '../evaluation/judge-job.js';
import type { SessionRegistry } from '../gateway/session-registry.js';
import { decodeRuleSetting } from '../integrity/rules.js';
import type { Logger } from '../logger.js';
import { computeStandings } from '../scoring/standings.js';
import { recipeField } from './views.js';

/** What the judge service needs. */
interface JudgeServiceDeps {
  jobs: JobsRepo;
  offers: OffersRepo;
  miners: MinersRepo;
  competitions: CompetitionsRepo;
  submissions: SubmissionsRepo;
  evaluations: EvaluationsRepo;
  scores: ScoresRepo;
  rules: RulesRepo;
  registry: SessionRegistry;
  logger: Logger;
  now: () => number;
}

/** The judge's reads and operator actions. */
export interface JudgeService {
  results(jobId: string): Promise<JobResultsView>;
  leaderboard(competitionId: string): Promise<LeaderboardView>;
  rules(competitionId: string): Promise<RuleView[]>;
  setRule(competitionId: string, ruleId: string, body: unknown, actor: string): Promise<RuleView>;
  rescoreJob(jobId: string, actor: string): Promise<JobResultsView>;
  rescoreCompetition(competitionId: string, actor: string): Promise<{ jobs: string[] }>;
  audit(competitionId: string): Promise<AuditEntryView[]>;
  /** Every scored result of one miner, as it would receive them. */
  minerResults(minerId: string): Promise<JobResult[]>;
  /** Sends a scored job's results to each accepted miner that is connected. */
  announce(job: JobRow): Promise<void>;
  /** Re-sends every scored result of a miner (after it reconnects). */
  resendResults(minerId: string): Promise<void>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A rule's parameters with a patch merged in key by key, nested groups too: changing `procedural.minExcess`
 * keeps an earlier `procedural.minFamiliarityRatio`. Arrays and scalars replace. The patch comes from the bounded JSON
 * parser (no `__proto__` keys) and is checked against the rule's schema afterwards.
 */
export function mergeParams(current: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = isPlainObject(current) ? { ...current } : {};
  for (const [key, value] of Object.entries(patch)) {
    const before = merged[key];
    merged[key] = isPlainObject(value) && isPlainObject(before) ? mergeParams(before, value) : value;
  }
  return merged;
}

const flagsOf = (verdicts: VerdictView[]) =>
  verdicts.filter((v) => !v.passed).map(({ rule, action, evidence }) => ({ rule, action, evidence }));

function resultFrame(score: ScoreRow): JobResult {
  const verdicts = JSON.parse(score.verdicts_json) as VerdictView[];
  return {
    type: 'job.result',
    jobId: score.job_id,
    status: score.status === 'missed' ? 'missed' : 'scored',
    losses: { test: score.test, synthetic: score.synthetic, combined: score.combined },
    quality: score.quality,
    integrityFlags: verdicts
      .filter((v) => !v.passed)
      .map((v) => v.rule.slice(0, 64))
      .slice(0, 64),
  };
}

/** Creates the judge service. */
export function createJudgeService(deps: JudgeServiceDeps): JudgeService {
  const requireJob = async (jobId: string) => {
    const job = await deps.jobs.get(jobId);
    if (!job) throw new ValidatorError('not_found', `job ${jobId} not found`, { status: 404 });
    return job;
  };
  const requireCompetition = async (id: string) => {
    const competition = await deps.competitions.get(id);
    if (!competition) throw new ValidatorError('not_found', `competition ${id} not found`, { status: 404 });
    return competition;
  };
  const at = () => new Date(deps.now()).toISOString();

  async function results(jobId: string): Promise<JobResultsView> {
    const job = await requireJob(jobId);
    const [scores, miners, items, commits, evaluation] = await Promise.all([
      deps.scores.listByJob(jobId),
      deps.miners.listByCompetition(job.competition_id),
      deps.evaluations.items(jobId),
      deps.submissions.listCommitsWithUploads(jobId),
      deps.evaluations.get(jobId),
    ]);
    const minerOf = new Map(miners.map((m) => [m.id, m]));
    const baseItem = items.find((item) => item.subject === 'base');
    const base = baseItem?.facts_json ? (JSON.parse(baseItem.facts_json) as BaseFacts) : undefined;
    const submissions: SubmissionResultView[] = [];
    const misses: JobResultsView['misses'] = [];
    for (const score of scores) {
      const miner = minerOf.get(score.miner_id);
      const identity = {
        minerId: score.miner_id,
        displayName: miner?.display_name ?? '',
        owner: miner?.owner ?? '',
      };
      const item = items.find((candidate) => candidate.subject === score.miner_id);
      if (!item?.artifact_sha256) {
        misses.push({ ...identity, quality: score.quality });
        continue;
      }
      const commit = [...commits]
        .reverse()
        .find((c) => c.miner_id === score.miner_id && c.artifact_sha256 === item.artifact_sha256);
      const verdicts = JSON.parse(score.verdicts_json) as VerdictView[];
      const improvement = (baseLoss: number | undefined, loss: number | null) =>
        baseLoss === undefined || loss === null ? null : baseLoss - loss;
      submissions.push({
        ...identity,
        artifactSha256: item.artifact_sha256,
        kind: commit?.artifact_kind ?? 'lora',
        committedAt: commit?.committed_at ?? score.scored_at,
        status: score.status,
        test: score.test,
        synthetic: score.synthetic,
        combined: score.combined,
        quality: score.quality,
        interval:
          score.interval_lo === null || score.interval_hi === null
            ? null
            : [score.interval_lo, score.interval_hi],
        improvement: {
          test: improvement(base?.losses.test, score.test),
          synthetic: improvement(base?.losses.synthetic, score.synthetic),
        },
        flags: flagsOf(verdicts),
        verdicts,
        strategyNote: commit?.strategy_note ?? '',
        ...recipeField(commit?.recipe),
      });
    }
    submissions.sort((a, b) => b.quality - a.quality);
    return {
      jobId,
      status: job.status,
      evaluation: evaluation
        ? { status: evaluation.status, attempts: evaluation.attempts, error: evaluation.error }
        : null,
      base: base ? { test: base.losses.test, synthetic: base.losses.synthetic } : null,
      submissions,
      misses,
    };
  }

  async function ruleViews(competitionId: string): Promise<RuleView[]> {
    await requireCompetition(competitionId);
    return (await configuredRules(deps.rules, competitionId)).map(({ rule, setting }) => ({
      id: rule.id,
      summary: rule.summary,
      toPass: rule.toPass,
      enabled: setting.enabled,
      action: setting.action,
      params: setting.params,
      defaults: rule.defaults as Record<string, unknown>,
    }));
  }

  async function rescore(job: JobRow): Promise<void> {
    const evaluation = await deps.evaluations.get(job.id);
    if (evaluation?.status !== 'done') {
      throw new ValidatorError('conflict', `job ${job.id} is not evaluated yet (${job.status})`, {
        status: 409,
      });
    }
    await judgeJob(deps, job);
  }

  const service: JudgeService = {
    results,
    leaderboard: async (competitionId) => {
      await requireCompetition(competitionId);
      const [miners, scores] = await Promise.all([
        deps.miners.listByCompetition(competitionId),
        deps.scores.listByCompetition(competitionId),
      ]);
      return computeStandings(
        miners.map((m) => ({
          minerId: m.id,
          displayName: m.display_name,
          owner: m.owner,
          ownerKey: m.owner_key,
        })),
        scores.map((s) => ({ jobId: s.job_id, minerId: s.miner_id, quality: s.quality, status: s.status })),
      );
    },
    rules: ruleViews,
    setRule: async (competitionId, ruleId, body, actor) => {
      await requireCompetition(competitionId);
      const current = (await ruleViews(competitionId)).find((rule) => rule.id === ruleId);
      if (!current) throw new ValidatorError('not_found', `no rule ${ruleId}`, { status: 404 });
      const patch = (body ?? {}) as { enabled?: boolean; action?: string; params?: Record<string, unknown> };
      const decoded = decodeRuleSetting(ruleId, {
        enabled: patch.enabled ?? current.enabled,
        action: patch.action ?? current.action,
        params: mergeParams(current.params, patch.params ?? {}),
      });
      if (!decoded.ok) {
        throw new ValidatorError('invalid_body', decoded.error.message, { issues: decoded.error.issues });
      }
      await deps.rules.saveSetting(
        {
          competition_id: competitionId,
          rule_id: ruleId,
          enabled: decoded.value.enabled ? 1 : 0,
          action: decoded.value.action,
          params_json: JSON.stringify(decoded.value.params),
          updated_at: at(),
        },
        {
          competition_id: competitionId,
          at: at(),
          actor,
          action: 'rule.set',
          detail_json: JSON.stringify({
            rule: ruleId,
            before: { enabled: current.enabled, action: current.action, params: current.params },
            after: decoded.value,
          }),
        },
      );
      deps.logger.info('rule.set', {
        competitionId,
        rule: ruleId,
        enabled: decoded.value.enabled,
        action: decoded.value.action,
      });
      return (await ruleViews(competitionId)).find((rule) => rule.id === ruleId) as RuleView;
    },
    rescoreJob: async (jobId, actor) => {
      const job = await requireJob(jobId);
      await rescore(job);
      await deps.rules.audit({
        competition_id: job.competition_id,
        at: at(),
        actor,
        action: 'rescore.job',
        detail_json: JSON.stringify({ jobId }),
      });
      await service.announce((await deps.jobs.get(jobId)) as JobRow);
      return results(jobId);
    },
    rescoreCompetition: async (competitionId, actor) => {
      await requireCompetition(competitionId);
      const rescored: string[] = [];
      for (const job of await deps.jobs.listByCompetition(competitionId)) {
        if ((await deps.evaluations.get(job.id))?.status !== 'done') continue;
        await rescore(job);
        rescored.push(job.id);
        await service.announce((await deps.jobs.get(job.id)) as JobRow);
      }
      await deps.rules.audit({
        competition_id: competitionId,
        at: at(),
        actor,
        action: 'rescore.competition',
        detail_json: JSON.stringify({ jobs: rescored }),
      });
      return { jobs: rescored };
    },
    audit: async (competitionId) => {
      await requireCompetition(competitionId);
      return (await deps.rules.auditLog(competitionId, 500)).map((row) => ({
        id: row.id,
        competitionId: row.competition_id,
        at: row.at,
        actor: row.actor,
        action: row.action,
        detail: JSON.parse(row.detail_json) as Record<string, unknown>,
      }));
    },
    minerResults: async (minerId) => {
      const miner = await deps.miners.get(minerId);
      if (!miner) return [];
      const scores = await deps.scores.listByCompetition(miner.competition_id);
      return scores.filter((s) => s.miner_id === minerId).map(resultFrame);
    },
    announce: async (job) => {
      for (const score of await deps.scores.listByJob(job.id))
        deps.registry.send(score.miner_id, resultFrame(score));
    },
    resendResults: async (minerId) => {
      for (const frame of await service.minerResults(minerId)) deps.registry.send(minerId, frame);
    },
  };
  return service;
}
