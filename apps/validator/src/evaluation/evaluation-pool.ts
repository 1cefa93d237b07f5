// The evaluation pool: `size` loops, each with its own engine worker thread, claim jobs from the durable
// queue under a lease (renewed while they work; an expired lease is claimed again, so a crash or kill -9
// resumes after restart), evaluate the pinned base and every accepted miner's judged commit, store each
// model's facts and losses as it goes (finished items are never evaluated twice), then judge and score the
// job and announce the results. Nothing here runs on the scheduler's queue.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSource } from '@tuning-arena/datasets';
import { decodeBundle } from '@tuning-arena/protocol';
import type { EvaluationRow } from '../db/evaluations-repo.js';
import type { JobRow, JobsRepo } from '../db/jobs-repo.js';
import type { SubmissionsRepo } from '../db/submissions-repo.js';
import type { Logger } from '../logger.js';
import type { MetricsEvents } from '../metrics/validator-metrics.js';
import type { ModelCatalog } from '../ports/model-catalog.js';
import type { StoredScore } from '../scoring/score-stored-job.js';
import type { BaseRef } from './base-model.js';
import type { JobEvaluationInput } from './evaluate-submission.js';
import type { EvaluationThread } from './evaluation-thread.js';
import { encodeExampleLosses, type SubmissionFacts } from './facts.js';
import { loadJobSets } from './job-sets.js';
import { type JudgeDeps, judgeJob } from './judge-job.js';
import { pickSubmissions } from './pick-submissions.js';

/** What the pool needs. */
interface EvaluationPoolDeps extends JudgeDeps {
  jobs: JobsRepo;
  submissions: SubmissionsRepo;
  catalog: ModelCatalog;
  logger: Logger;
  /** Per-job files (`<jobsDir>/<jobId>/`: splits, prepare.json, the pinned base bundle). */
  jobsDir: string;
  /** Where the other known bases live (`<modelsDir>/<id>/`). */
  modelsDir: string;
  /** Where artifacts are unpacked (private temp dirs). */
  workDir: string;
  /** The content-addressed path of an uploaded artifact. */
  artifactPath(sha256: string): string;
  /** The pinned base bundle of a job. */
  pinnedBundle(jobId: string): string;
  /** An operator dataset by name, for jobs that are not on a bundled one. */
  datasetSource(name: string): Promise<DatasetSource>;
  createThread(): EvaluationThread;
  /** Loops (and worker threads). */
  size: number;
  /** How long a claim holds before another loop may take the job over. */
  leaseMs: number;
  /** Attempts before a model that keeps failing the evaluator fails the format rule instead of blocking. */
  maxAttempts: number;
  /** Called once a job is scored (announce results). */
  onScored(job: JobRow, scores: StoredScore[]): void;
  /** Observes each evaluation attempt's duration. */
  metrics?: Pick<MetricsEvents, 'evaluation'>;
}

/** The running pool. */
export interface EvaluationPool {
  /** Starts the loops (after the database is open). */
  start(): void;
  /** Wakes idle loops at once (a job was just enqueued). */
  kick(): void;
  /** Stops claiming, waits for running evaluations to stop at their next step, closes the threads. */
  stop(): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Draws the fresh secret seed of a job's synthetic set (stored with the queued evaluation). */
export function newSyntheticSeed(): string {
  return randomBytes(16).toString('hex');
}

/** Unpacks a job's pinned base bundle once into `<jobsDir>/<jobId>/base-model/` (our own bundle). */
async function pinnedBaseDir(deps: EvaluationPoolDeps, job: JobRow): Promise<string> {
  const dir = join(deps.jobsDir, job.id, 'base-model');
  const done = join(dir, '.unpacked');
  if (
    await stat(done).then(
      () => true,
      () => false,
    )
  )
    return dir;
  const bundle = decodeBundle(new Uint8Array(await readFile(deps.pinnedBundle(job.id))));
  if (!bundle.ok) throw new Error(`pinned base of ${job.id}: ${bundle.error.message}`);
  await mkdir(dir, { recursive: true });
  for (const file of bundle.value) await writeFile(join(dir, file.name), file.data);
  await writeFile(done, job.model_weights_sha256);
  return dir;
}

async function jobInput(
  deps: EvaluationPoolDeps,
  job: JobRow,
  evaluation: EvaluationRow,
): Promise<JobEvaluationInput> {
  const base: BaseRef = {
    modelId: job.model_id,
    weightsSha256: job.model_weights_sha256,
    dir: await pinnedBaseDir(deps, job),
  };
  const otherBases = (await deps.catalog.list())
    .filter((model) => model.family === job.model_family && model.weightsSha256 !== job.model_weights_sha256)
    .map((model) => ({
      modelId: model.id,
      weightsSha256: model.weightsSha256,
      dir: join(deps.modelsDir, model.id),
    }));
  const jobDir = join(deps.jobsDir, job.id);
  let source: DatasetSource | undefined;
  try {
    source = await deps.datasetSource(job.dataset);
  } catch {
    source = undefined;
  }
  const sets = await loadJobSets({
    jobDir,
    syntheticSeed: evaluation.synthetic_seed,
    ...(source ? { source } : {}),
  });
  return { base, otherBases, sets, workDir: join(deps.workDir, job.id) };
}

/** A SubmissionFacts for a model the evaluator gave up on after too many attempts. */
function gaveUp(
  facts: Omit<SubmissionFacts, 'format' | 'losses' | 'weights'>,
  attempts: number,
): SubmissionFacts {
  return {
    ...facts,
    format: {
      ok: false,
      code: 'evaluator_failed',
      detail: `the evaluator failed on this artifact ${attempts - 1} times`,
      bytes: 0,
      files: [],
      tensors: 0,
      parameters: 0,
    },
  };
}

/** Creates the pool; nothing runs until `start()`. */
export function createEvaluationPool(deps: EvaluationPoolDeps): EvaluationPool {
  const { evaluations, logger } = deps;
  let stopped = false;
  const loops: Promise<void>[] = [];
  const threads: EvaluationThread[] = [];
  let wake: (() => void) | undefined;
  let wakeUp = new Promise<void>((resolve) => {
    wake = resolve;
  });

  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wakeUp.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  async function evaluateJob(
    owner: string,
    thread: EvaluationThread,
    evaluation: EvaluationRow,
  ): Promise<void> {
    const job = await deps.jobs.get(evaluation.job_id);
    if (!job || job.deadline === null) {
      await evaluations.finish(evaluation.job_id, owner, 'failed', iso(deps.now()), 'job not found');
      return;
    }
    const input = await jobInput(deps, job, evaluation);
    const items = new Map((await evaluations.items(job.id)).map((item) => [item.subject, item]));
    if (items.get('base')?.status !== 'done') {
      await evaluations.startItem(job.id, 'base', null);
      const base = await thread.evaluateBase(input);
      if (stopped) throw new Error('pool stopping');
      await evaluations.saveItem({
        job_id: job.id,
        subject: 'base',
        artifact_sha256: null,
        status: 'done',
        facts_json: JSON.stringify(base.facts),
        losses: encodeExampleLosses(base.exampleLosses),
        error: null,
        evaluated_at: iso(deps.now()),
      });
    }
    const picked = pickSubmissions(await deps.submissions.listCommitsWithUploads(job.id), job.deadline);
    const accepted = (await deps.offers.listByJob(job.id)).filter((offer) => offer.status === 'accepted');
    for (const { miner_id: minerId } of accepted) {
      if (stopped) throw new Error('pool stopping');
      const pick = picked.get(minerId);
      const done = items.get(minerId);
      if (!pick || (done?.status === 'done' && done.artifact_sha256 === pick.row.artifact_sha256)) continue;
      const sha = pick.row.artifact_sha256;
      const attempts = await evaluations.startItem(job.id, minerId, sha);
      const common = {
        minerId,
        artifactSha256: sha,
        artifactKind: pick.row.artifact_kind,
        committedAt: pick.row.committed_at,
        deadline: job.deadline,
        firstCommittedAt: pick.row.first_committed_at,
        uploaded: pick.uploaded,
      };
      const minerFirst = { minerFirstCommittedAt: pick.minerFirstCommittedAt };
      const result =
        attempts > deps.maxAttempts
          ? { facts: gaveUp(common, attempts), exampleLosses: undefined }
          : await thread.evaluateSubmission(input, { ...common, artifactPath: deps.artifactPath(sha) });
      // A stop mid-evaluation closes the worker: what it answered then says nothing about the artifact.
      if (stopped) throw new Error('pool stopping');
      await evaluations.saveItem({
        job_id: job.id,
        subject: minerId,
        artifact_sha256: sha,
        status: 'done',
        facts_json: JSON.stringify({ ...result.facts, ...minerFirst }),
        losses: result.exampleLosses ? encodeExampleLosses(result.exampleLosses) : null,
        error: result.facts.format.ok ? null : (result.facts.format.code ?? 'format'),
        evaluated_at: iso(deps.now()),
      });
    }
    const scores = await judgeJob(deps, job);
    if (!(await evaluations.finish(job.id, owner, 'done', iso(deps.now())))) {
      logger.warn('evaluation.lease_lost', { jobId: job.id, owner });
    }
    logger.info('job.scored', { jobId: job.id, scored: scores.length });
    deps.onScored(job, scores);
  }

  async function loop(index: number): Promise<void> {
    const owner = `pool-${process.pid}-${index}-${randomBytes(4).toString('hex')}`;
    const thread = deps.createThread();
    threads.push(thread);
    while (!stopped) {
      const now = deps.now();
      let claimed: EvaluationRow | undefined;
      try {
        claimed = await evaluations.claim(owner, iso(now), iso(now + deps.leaseMs));
      } catch (error) {
        if (!stopped) logger.error('evaluation.claim_failed', { error });
      }
      if (!claimed) {
        await idle(Math.min(1000, deps.leaseMs));
        continue;
      }
      const evaluation = claimed;
      const renew = setInterval(
        () => {
          evaluations
            .renew(evaluation.job_id, owner, iso(deps.now() + deps.leaseMs))
            .catch((error) => logger.warn('evaluation.renew_failed', { jobId: evaluation.job_id, error }));
        },
        Math.max(50, deps.leaseMs / 3),
      );
      renew.unref();
      const startedAt = performance.now();
      const took = () => (performance.now() - startedAt) / 1000;
      try {
        logger.info('evaluation.started', { jobId: evaluation.job_id, attempt: evaluation.attempts });
        await evaluateJob(owner, thread, evaluation);
        deps.metrics?.evaluation('done', took());
      } catch (error) {
        if (stopped) break;
        deps.metrics?.evaluation('failed', took());
        logger.error('evaluation.failed', { jobId: evaluation.job_id, attempt: evaluation.attempts, error });
        const message = error instanceof Error ? error.message : String(error);
        if (evaluation.attempts >= deps.maxAttempts) {
          await evaluations
            .finish(evaluation.job_id, owner, 'failed', iso(deps.now()), message)
            .catch(() => false);
        } else {
          await evaluations.release(evaluation.job_id, owner, message).catch(() => undefined);
        }
      } finally {
        clearInterval(renew);
      }
    }
  }

  return {
    start: () => {
      for (let i = 0; i < deps.size; i++) {
        loops.push(loop(i).catch((error) => logger.error('evaluation.loop_crashed', { error })));
      }
    },
    kick: () => {
      const current = wake;
      wakeUp = new Promise<void>((resolve) => {
        wake = resolve;
      });
      current?.();
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await Promise.all(threads.map((thread) => thread.close()));
      await Promise.all(loops);
    },
  };
}
