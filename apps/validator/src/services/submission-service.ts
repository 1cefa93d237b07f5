// Miner commits and progress reports for accepted jobs: checks job, acceptance, deadline and signature in
// the order of docs/protocol-flow.md, stores every commit (with the hash's first commit time) and acks it.
// It runs on the scheduler's queue so a commit never races the deadline transition. No artifact bytes here.

import {
  type JobProgress,
  type JobSubmit,
  type SubmitAck,
  submissionPayload,
  verifyPayload,
} from '@tuning-arena/protocol';
import type { JobRow, JobsRepo } from '../db/jobs-repo.js';
import type { OffersRepo } from '../db/offers-repo.js';
import type { SubmissionsRepo } from '../db/submissions-repo.js';
import { ValidatorError } from '../errors.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import { artifactUrl } from '../scheduler/job-messages.js';
import type { SerialQueue } from '../scheduler/serial-queue.js';

/** The committing miner. */
export interface Committer {
  minerId: string;
  publicKey: string;
}

/** What the submission service needs. */
export interface SubmissionServiceDeps {
  jobs: JobsRepo;
  offers: OffersRepo;
  submissions: SubmissionsRepo;
  queue: SerialQueue;
  logger: Logger;
  now: () => number;
}

/** Handles `job.submit` and `job.progress`. */
export interface SubmissionService {
  /** Stores a signed commit and returns the ack to send; throws the protocol's refusal codes. */
  commit(miner: Committer, frame: JobSubmit): Promise<SubmitAck>;
  /** Stores the latest progress of an accepted, running job. */
  progress(minerId: string, frame: JobProgress): Promise<void>;
}

/** Creates the submission service. */
export function createSubmissionService(deps: SubmissionServiceDeps): SubmissionService {
  const { jobs, offers, submissions, queue, logger, now } = deps;

  async function acceptedJob(minerId: string, jobId: string): Promise<JobRow> {
    const job = await jobs.get(jobId);
    if (!job) throw new ValidatorError('unknown_job', `job ${jobId} not found`, { status: 404 });
    const offer = await offers.get(jobId, minerId);
    if (offer?.status !== 'accepted') {
      throw new ValidatorError('not_accepted', `job ${jobId} was not accepted by this miner`, {
        status: 403,
      });
    }
    if (job.status === 'offering') {
      throw new ValidatorError('not_accepted', `job ${jobId} has not started yet`, { status: 403 });
    }
    if (job.status !== 'running' || job.deadline === null || now() >= Date.parse(job.deadline)) {
      throw new ValidatorError('deadline_passed', `job ${jobId} is ${job.status}; its deadline has passed`, {
        status: 403,
      });
    }
    return job;
  }

  return {
    commit: (miner, frame) =>
      queue.run(async () => {
        const job = await acceptedJob(miner.minerId, frame.jobId);
        const payload = submissionPayload(
          frame.jobId,
          miner.publicKey,
          frame.artifactSha256,
          frame.artifactKind,
        );
        if (!verifyPayload(miner.publicKey, payload, frame.signature)) {
          throw new ValidatorError('bad_signature', 'submission signature does not verify', { status: 403 });
        }
        const committedAt = new Date(now()).toISOString();
        const firstCommittedAt = await submissions.insertCommit({
          id: newId('cmt'),
          job_id: job.id,
          miner_id: miner.minerId,
          competition_id: job.competition_id,
          artifact_sha256: frame.artifactSha256,
          artifact_kind: frame.artifactKind,
          strategy_note: frame.strategyNote,
          signature: frame.signature,
          committed_at: committedAt,
        });
        logger.info('submission.committed', {
          jobId: job.id,
          minerId: miner.minerId,
          sha256: frame.artifactSha256,
          firstCommittedAt,
        });
        return {
          type: 'submit.ack',
          jobId: job.id,
          artifactSha256: frame.artifactSha256,
          artifactKind: frame.artifactKind,
          committedAt,
          uploadUrl: artifactUrl(frame.artifactSha256),
        };
      }),
    progress: (minerId, frame) =>
      queue.run(async () => {
        await acceptedJob(minerId, frame.jobId);
        await offers.saveProgress(
          frame.jobId,
          minerId,
          frame.step,
          frame.trainLoss,
          new Date(now()).toISOString(),
        );
      }),
  };
}
