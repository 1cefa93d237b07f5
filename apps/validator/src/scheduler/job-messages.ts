// Builds the job frames a miner receives (offer, start, cancel, missed result) from stored rows, so the
// first send and every re-send after a reconnect or restart carry exactly the same content.

import type { JobCancel, JobOffer, JobResult, JobStart, PromptFormat } from '@tuning-arena/protocol';
import type { JobRow } from '../db/jobs-repo.js';
import type { OfferRow } from '../db/offers-repo.js';

/** URL of a job's train split, relative to the validator. */
const trainUrl = (jobId: string) => `/v1/jobs/${encodeURIComponent(jobId)}/train`;
/** URL of a job's pinned base model bundle, relative to the validator. */
const baseModelUrl = (jobId: string) => `/v1/jobs/${encodeURIComponent(jobId)}/base-model`;
/** URL an artifact is uploaded to, relative to the validator. */
export const artifactUrl = (sha256: string) => `/v1/artifacts/${sha256}`;

/** The `job.offer` frame of an offer. */
export function offerMessage(job: JobRow, offer: OfferRow): JobOffer {
  return {
    type: 'job.offer',
    jobId: job.id,
    taskKind: job.task_kind,
    model: { id: job.model_id, family: job.model_family, parameterCount: job.model_parameter_count },
    approxDatasetRows: job.train_rows,
    timeLimitSeconds: job.time_limit_seconds,
    offerExpiresAt: offer.expires_at,
  };
}

/** The `job.start` frame of a running job. */
export function startMessage(job: JobRow): JobStart {
  return {
    type: 'job.start',
    jobId: job.id,
    deadline: job.deadline ?? '',
    trainData: { url: trainUrl(job.id), sha256: job.train_sha256, bytes: job.train_bytes },
    baseModel: {
      url: baseModelUrl(job.id),
      sha256: job.model_bundle_sha256,
      bytes: job.model_bundle_bytes,
    },
    promptFormat: JSON.parse(job.prompt_format) as PromptFormat,
  };
}

/** A `job.cancel` frame. */
export function cancelMessage(jobId: string, reason: string): JobCancel {
  return { type: 'job.cancel', jobId, reason };
}

/** The `job.result` frame for an accepted job with no commit before the deadline. */
export function missedMessage(jobId: string): JobResult {
  return {
    type: 'job.result',
    jobId,
    status: 'missed',
    losses: { test: null, synthetic: null, combined: null },
    quality: null,
    integrityFlags: [],
  };
}
