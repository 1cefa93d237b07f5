// Operator actions on jobs: create one (resolve the model, prepare the data, store, then let the scheduler
// offer it), list and inspect jobs with their offers, submissions and commit history, and cancel. The
// program makes its jobs through the same steps (`createForProgram`), so both kinds are stored alike.

import { BASE_MODELS } from '@tuning-arena/models';
import type { CreateJobBody, JobView, SubmissionView } from '@tuning-arena/protocol';
import type { CompetitionRow } from '../db/competitions-repo.js';
import type { JobRow, JobsRepo } from '../db/jobs-repo.js';
import type { OffersRepo } from '../db/offers-repo.js';
import type { SubmissionsRepo } from '../db/submissions-repo.js';
import { ValidatorError } from '../errors.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { JobDataPreparer } from '../ports/job-data-preparer.js';
import type { ModelCatalog } from '../ports/model-catalog.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { jobVerdict, windowOf } from '../scheduler/windows.js';
import type { BundlePins } from '../storage/pinned-bundles.js';
import type { CompetitionService } from './competition-service.js';
import { commitView, jobView, submissionView } from './views.js';

/** What the job service needs. */
interface JobServiceDeps {
  jobs: JobsRepo;
  offers: OffersRepo;
  submissions: SubmissionsRepo;
  competitions: CompetitionService;
  catalog: ModelCatalog;
  preparer: JobDataPreparer;
  pins: BundlePins;
  scheduler: Scheduler;
  logger: Logger;
  now: () => number;
  defaultOfferTtlSeconds: number;
}

/** The refusal of a model name the catalog lacks: what exists, and how to get a catalogued base. */
async function unknownModel(catalog: ModelCatalog, name: string): Promise<ValidatorError> {
  const known = (await catalog.list().catch(() => [])).map((model) => model.id);
  const catalogued = BASE_MODELS.some((spec) => spec.name === name);
  const hint = catalogued
    ? `${name} is a catalogued base that is not pretrained here yet: run \`pnpm models pretrain ${name}\``
    : `available: ${known.length > 0 ? known.join(', ') : 'none (run `pnpm models pretrain`)'}`;
  return new ValidatorError('unknown_model', `model ${name} is not in the catalog; ${hint}`, {
    issues: [{ path: '/model', message: hint }],
  });
}

/** A job to make: the manual body's fields, a time limit decided once the rows are known, its program place. */
export interface NewJob extends Omit<CreateJobBody, 'timeLimitSeconds'> {
  /** The time limit for the prepared number of train rows, or null when it no longer fits the window. */
  timeLimitFor(rows: number): number | null;
  program?: { seq: number; phase: number };
}

/** Whether a manual job of `timeLimitSeconds` can still run inside the competition's window, or why not. */
export function jobFitsWindow(
  competition: CompetitionRow,
  now: number,
  timeLimitSeconds: number,
): true | string {
  // The scheduler's own rule, asked for the job's earliest start: now, or the window's opening.
  const window = windowOf(competition);
  const earliest = Math.max(now, window.startsAt);
  if (jobVerdict(window, { time_limit_seconds: timeLimitSeconds }, earliest) !== 'too_late') return true;
  return now >= (window.endsAt ?? Number.POSITIVE_INFINITY)
    ? `the competition ended at ${competition.ends_at}`
    : `a ${timeLimitSeconds} s job would run past the competition's end at ${competition.ends_at}`;
}

/** Jobs as the operator sees them. */
export interface JobService {
  /** A manual job; throws `outside_window` when it cannot finish before the competition ends. */
  create(competitionId: string, body: CreateJobBody): Promise<JobView>;
  /** A job the program made (its time limit already fitted to the window). */
  createForProgram(competitionId: string, request: NewJob): Promise<JobRow>;
  list(competitionId: string): Promise<JobView[]>;
  get(jobId: string): Promise<JobView>;
  /** The job row; throws `not_found`. */
  require(jobId: string): Promise<JobRow>;
  submissions(jobId: string): Promise<SubmissionView[]>;
  commits(jobId: string): Promise<ReturnType<typeof commitView>[]>;
  cancel(jobId: string, reason: string): Promise<JobView>;
}

/** Creates the job service. */
export function createJobService(deps: JobServiceDeps): JobService {
  const { jobs, offers, submissions } = deps;

  const require = async (jobId: string) => {
    const row = await jobs.get(jobId);
    if (!row) throw new ValidatorError('not_found', `job ${jobId} not found`, { status: 404 });
    return row;
  };
  const view = async (row: JobRow) => jobView(row, await offers.listByJob(row.id));

  /** Resolves the model, prepares the data, pins the bundle, stores the job and lets the scheduler offer it. */
  const insertJob = async (competitionId: string, request: NewJob): Promise<JobRow> => {
    const model = await deps.catalog.resolve(request.model);
    if (!model) throw await unknownModel(deps.catalog, request.model);
    const id = newId('job');
    const data = await deps.preparer.prepare({
      jobId: id,
      dataset: request.dataset,
      ...(request.maxRows === undefined ? {} : { maxRows: request.maxRows }),
    });
    const timeLimit = request.timeLimitFor(data.rows);
    if (timeLimit === null) {
      await deps.preparer.discard(id);
      throw new ValidatorError('outside_window', 'no room before the competition ends', { status: 409 });
    }
    await deps.pins.pin(id, model.bundle);
    const row: JobRow = {
      id,
      competition_id: competitionId,
      status: 'offering',
      model_id: model.id,
      model_family: model.family,
      model_parameter_count: model.parameterCount,
      model_weights_sha256: model.weightsSha256,
      model_bundle_sha256: model.bundleSha256,
      model_bundle_bytes: model.bundleBytes,
      dataset: request.dataset,
      task_kind: data.taskKind,
      prompt_format: JSON.stringify(data.promptFormat),
      train_path: data.trainPath,
      train_sha256: data.trainSha256,
      train_bytes: data.trainBytes,
      train_rows: data.rows,
      time_limit_seconds: timeLimit,
      miners_wanted: request.minersWanted,
      offer_ttl_seconds: request.offerTtlSeconds ?? deps.defaultOfferTtlSeconds,
      max_rows: request.maxRows ?? null,
      created_at: new Date(deps.now()).toISOString(),
      started_at: null,
      deadline: null,
      ended_at: null,
      end_reason: null,
      evaluation_requested_at: null,
      program_seq: request.program?.seq ?? null,
      program_phase: request.program?.phase ?? null,
    };
    await jobs.insert(row);
    deps.logger.info('job.created', {
      jobId: id,
      competitionId,
      model: model.id,
      dataset: request.dataset,
      ...(request.program ? { programSeq: request.program.seq, programPhase: request.program.phase } : {}),
    });
    await deps.scheduler.jobCreated(id);
    return (await jobs.get(id)) ?? row;
  };

  return {
    create: async (competitionId, body) => {
      const competition = await deps.competitions.require(competitionId);
      const fits = jobFitsWindow(competition, deps.now(), body.timeLimitSeconds);
      if (fits !== true) throw new ValidatorError('outside_window', fits, { status: 409 });
      return view(await insertJob(competitionId, { ...body, timeLimitFor: () => body.timeLimitSeconds }));
    },
    createForProgram: async (competitionId, request) => {
      await deps.competitions.require(competitionId);
      return insertJob(competitionId, request);
    },
    list: async (competitionId) => {
      await deps.competitions.require(competitionId);
      return Promise.all((await jobs.listByCompetition(competitionId)).map(view));
    },
    get: async (jobId) => view(await require(jobId)),
    require,
    submissions: async (jobId) => {
      await require(jobId);
      return (await submissions.listSubmissions(jobId)).map(submissionView);
    },
    commits: async (jobId) => {
      await require(jobId);
      return (await submissions.listCommits(jobId)).map(commitView);
    },
    cancel: async (jobId, reason) => view(await deps.scheduler.cancelJob(jobId, reason)),
  };
}
