// Operator actions on jobs: create one (resolve the model, prepare the data, store, then let the scheduler
// offer it), list and inspect jobs with their offers, submissions and commit history, and cancel.

import { BASE_MODELS } from '@tuning-arena/models';
import type { CreateJobBody, JobView, SubmissionView } from '@tuning-arena/protocol';
import type { JobRow, JobsRepo } from '../db/jobs-repo.js';
import type { OffersRepo } from '../db/offers-repo.js';
import type { SubmissionsRepo } from '../db/submissions-repo.js';
import { ValidatorError } from '../errors.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { JobDataPreparer } from '../ports/job-data-preparer.js';
import type { ModelCatalog } from '../ports/model-catalog.js';
import type { Scheduler } from '../scheduler/scheduler.js';
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

/** Jobs as the operator sees them. */
export interface JobService {
  create(competitionId: string, body: CreateJobBody): Promise<JobView>;
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

  return {
    create: async (competitionId, body) => {
      await deps.competitions.require(competitionId);
      const model = await deps.catalog.resolve(body.model);
      if (!model) throw await unknownModel(deps.catalog, body.model);
      const id = newId('job');
      const data = await deps.preparer.prepare({
        jobId: id,
        dataset: body.dataset,
        ...(body.maxRows === undefined ? {} : { maxRows: body.maxRows }),
      });
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
        dataset: body.dataset,
        task_kind: data.taskKind,
        prompt_format: JSON.stringify(data.promptFormat),
        train_path: data.trainPath,
        train_sha256: data.trainSha256,
        train_bytes: data.trainBytes,
        train_rows: data.rows,
        time_limit_seconds: body.timeLimitSeconds,
        miners_wanted: body.minersWanted,
        offer_ttl_seconds: body.offerTtlSeconds ?? deps.defaultOfferTtlSeconds,
        max_rows: body.maxRows ?? null,
        created_at: new Date(deps.now()).toISOString(),
        started_at: null,
        deadline: null,
        ended_at: null,
        end_reason: null,
        evaluation_requested_at: null,
      };
      await jobs.insert(row);
      deps.logger.info('job.created', { jobId: id, competitionId, model: model.id, dataset: body.dataset });
      await deps.scheduler.jobCreated(id);
      return view(await require(id));
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
