// Miner commits and progress reports for accepted jobs: checks job, acceptance, deadline and signature in
// the order of docs/protocol-flow.md, caps commits per miner and job, stores every commit (with the hash's
// first commit time) and acks it. Commits run on the scheduler's queue so a commit never races the deadline
// transition; progress stays off it (it needs no ordering) and is coalesced per job and miner, so a flood of
// progress frames costs a map write each, not a queued read and write. No artifact bytes here.

import {
  decodeRecipe,
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
import { createLimitLog, type LimitLog } from '../limit-log.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import { artifactUrl } from '../scheduler/job-messages.js';
import type { SerialQueue } from '../scheduler/serial-queue.js';

/** The committing miner. */
interface Committer {
  minerId: string;
  publicKey: string;
}

/** What the submission service needs. */
interface SubmissionServiceDeps {
  jobs: JobsRepo;
  offers: OffersRepo;
  submissions: SubmissionsRepo;
  queue: SerialQueue;
  logger: Logger;
  now: () => number;
  /** `maxCommitsPerJob`: signed commits one miner may make for one job. */
  limits: Pick<Limits, 'maxCommitsPerJob'>;
  /** Progress of one miner and job is stored at most once per this many ms (default 250). */
  progressFlushMs?: number;
  /** After a `final` commit: ends the job now if every accepted miner's latest commit is final. */
  closeIfAllFinal?: (jobId: string) => Promise<void>;
  /** Where `maxCommitsPerJob` hits go (default: a limit log of its own over `logger`). */
  limitLog?: LimitLog;
}

/** Handles `job.submit` and `job.progress`. */
export interface SubmissionService {
  /** Stores a signed commit and returns the ack to send; throws the protocol's refusal codes. */
  commit(miner: Committer, frame: JobSubmit): Promise<SubmitAck>;
  /** Stores the latest progress of an accepted, running job. */
  progress(minerId: string, frame: JobProgress): Promise<void>;
}

/** The recipe text of a commit, refused (`invalid_message`) unless it is a bounded JSON object. */
function checkedRecipe(text: string): string {
  const decoded = decodeRecipe(text);
  if (!decoded.ok) {
    throw new ValidatorError('invalid_message', `recipe refused: ${decoded.error.message}`, { status: 400 });
  }
  return text;
}

/** Creates the submission service. */
export function createSubmissionService(deps: SubmissionServiceDeps): SubmissionService {
  const { jobs, offers, submissions, queue, logger, now } = deps;
  const limitLog = deps.limitLog ?? createLimitLog(logger);
  const flushMs = deps.progressFlushMs ?? 250;
  // Per job and miner: an open coalescing window, holding the latest progress that arrived during it.
  const windows = new Map<string, { latest: JobProgress | undefined }>();

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
    commit: async (miner, frame) => {
      const recipe = frame.recipe === undefined ? undefined : checkedRecipe(frame.recipe);
      const ack = await queue.run(async (): Promise<SubmitAck> => {
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
        const max = deps.limits.maxCommitsPerJob;
        const made = await submissions.countCommits(job.id, miner.minerId);
        if (made >= max) {
          limitLog.hit('maxCommitsPerJob', miner.minerId, { minerId: miner.minerId, jobId: job.id, max });
          throw new ValidatorError('commit_limit', `at most ${max} commits per miner and job`, {
            status: 429,
          });
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
          ...(recipe === undefined ? {} : { recipe }),
          signature: frame.signature,
          committed_at: committedAt,
          final: frame.final ? 1 : 0,
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
      });
      // Outside the queue: closing the job early is itself a scheduler transition on that queue.
      if (frame.final) await deps.closeIfAllFinal?.(frame.jobId);
      return ack;
    },
    progress: async (minerId, frame) => {
      const key = `${frame.jobId}\u0000${minerId}`;
      const open = windows.get(key);
      if (open) {
        open.latest = frame;
        return;
      }
      const window: { latest: JobProgress | undefined } = { latest: undefined };
      windows.set(key, window);
      try {
        await storeProgress(minerId, frame);
      } catch (error) {
        windows.delete(key);
        throw error;
      }
      const close = () => {
        const latest = window.latest;
        windows.delete(key);
        if (!latest) return;
        // Still "running and accepted"? The store re-checks; a refusal now has no frame to answer.
        windows.set(key, window);
        window.latest = undefined;
        storeProgress(minerId, latest)
          .then(() => setTimeout(close, flushMs).unref())
          .catch((error) => {
            windows.delete(key);
            logger.debug('progress.dropped', { minerId, jobId: latest.jobId, error });
          });
      };
      setTimeout(close, flushMs).unref();
    },
  };

  async function storeProgress(minerId: string, frame: JobProgress): Promise<void> {
    await acceptedJob(minerId, frame.jobId);
    await offers.saveProgress(
      frame.jobId,
      minerId,
      frame.step,
      frame.trainLoss,
      new Date(now()).toISOString(),
    );
  }
}
