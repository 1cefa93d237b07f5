// Which job files a miner may download: the train split and the pinned base model of a job it accepted,
// only while the job runs. The miner routes ask this service, as the operator routes ask theirs; the
// routes only stream the files it names.

import type { JobsRepo } from '../db/jobs-repo.js';
import type { OffersRepo } from '../db/offers-repo.js';
import { ValidatorError } from '../errors.js';
import type { BundlePins } from '../storage/pinned-bundles.js';

/** A file a miner may download, with the headers it is served with. */
export interface JobFile {
  path: string;
  bytes: number;
  sha256: string;
  contentType: string;
}

/** What the service needs. */
interface JobFilesServiceDeps {
  jobs: JobsRepo;
  offers: OffersRepo;
  pins: BundlePins;
}

/** Access to a running job's files. */
export interface JobFilesService {
  /** The train split (JSONL); throws `unknown_job`, `not_accepted` or `deadline_passed`. */
  trainSplit(jobId: string, minerId: string): Promise<JobFile>;
  /** The pinned base model bundle; same rules. */
  baseModel(jobId: string, minerId: string): Promise<JobFile>;
}

/** Creates the service. */
export function createJobFilesService(deps: JobFilesServiceDeps): JobFilesService {
  const runningJobFor = async (jobId: string, minerId: string) => {
    const job = await deps.jobs.get(jobId);
    if (!job) throw new ValidatorError('unknown_job', `job ${jobId} not found`, { status: 404 });
    const offer = await deps.offers.get(jobId, minerId);
    if (offer?.status !== 'accepted' || job.status === 'offering') {
      throw new ValidatorError('not_accepted', `job ${jobId} is not running for this miner`, { status: 403 });
    }
    if (job.status !== 'running') {
      throw new ValidatorError('deadline_passed', `job ${jobId} is ${job.status}`, { status: 403 });
    }
    return job;
  };
  return {
    trainSplit: async (jobId, minerId) => {
      const job = await runningJobFor(jobId, minerId);
      return {
        path: job.train_path,
        bytes: job.train_bytes,
        sha256: job.train_sha256,
        contentType: 'application/x-ndjson',
      };
    },
    baseModel: async (jobId, minerId) => {
      const job = await runningJobFor(jobId, minerId);
      return {
        path: deps.pins.path(job.id),
        bytes: job.model_bundle_bytes,
        sha256: job.model_bundle_sha256,
        contentType: 'application/octet-stream',
      };
    },
  };
}
