// Admission for artifact uploads: upload slots in total and per miner (429 `too_many_uploads`) and bytes
// received per miner and job, refused uploads included (413 `upload_quota_exceeded`). Counts live in
// memory (a restart forgets them); it neither reads bodies nor touches the database.

import { ValidatorError } from '../errors.js';
import type { LimitLog } from '../limit-log.js';

/** The limits the upload limiter enforces. */
interface UploadLimits {
  maxConcurrentUploads: number;
  maxConcurrentUploadsPerMiner: number;
  maxUploadBytesPerJob: number;
}

/** Who is uploading, for accounting and for the limit log. */
export interface Uploader {
  minerId: string;
  remoteAddress: string | undefined;
  /** The jobs whose upload window this upload counts against. */
  jobIds: string[];
}

/** Upload slots and per-job byte quotas. */
export interface UploadLimiter {
  /** Takes an upload slot; throws 429 `too_many_uploads`. The returned release is idempotent. */
  acquire(uploader: Uploader): () => void;
  /** Bytes the uploader may still send. */
  remaining(uploader: Uploader): number;
  /** Counts received bytes against every job of the upload; throws 413 `upload_quota_exceeded` past it. */
  charge(uploader: Uploader, bytes: number): void;
  /** Uploads in progress (for tests and health). */
  active(): number;
}

/** Creates an upload limiter. */
export function createUploadLimiter(limits: UploadLimits, limitLog: LimitLog): UploadLimiter {
  let total = 0;
  const perMiner = new Map<string, number>();
  const received = new Map<string, number>();
  const key = (minerId: string, jobId: string) => `${minerId}\u0000${jobId}`;
  const remaining = (uploader: Uploader) =>
    Math.min(
      ...uploader.jobIds.map(
        (jobId) => limits.maxUploadBytesPerJob - (received.get(key(uploader.minerId, jobId)) ?? 0),
      ),
    );
  const who = (uploader: Uploader) => ({
    minerId: uploader.minerId,
    remoteAddress: uploader.remoteAddress,
  });
  return {
    remaining,
    active: () => total,
    acquire: (uploader) => {
      const mine = perMiner.get(uploader.minerId) ?? 0;
      if (total >= limits.maxConcurrentUploads || mine >= limits.maxConcurrentUploadsPerMiner) {
        const scope = total >= limits.maxConcurrentUploads ? 'total' : 'miner';
        limitLog.hit('too_many_uploads', uploader.minerId, { ...who(uploader), scope, active: total });
        throw new ValidatorError('too_many_uploads', `too many uploads in progress (${scope})`, {
          status: 429,
        });
      }
      total++;
      perMiner.set(uploader.minerId, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (perMiner.get(uploader.minerId) ?? 1) - 1;
        if (left > 0) perMiner.set(uploader.minerId, left);
        else perMiner.delete(uploader.minerId);
      };
    },
    charge: (uploader, bytes) => {
      let over = false;
      for (const jobId of uploader.jobIds) {
        const id = key(uploader.minerId, jobId);
        const sum = (received.get(id) ?? 0) + bytes;
        received.set(id, sum);
        if (sum > limits.maxUploadBytesPerJob) over = true;
      }
      if (over) {
        limitLog.hit('upload_quota_exceeded', uploader.minerId, {
          ...who(uploader),
          jobIds: uploader.jobIds,
        });
        throw new ValidatorError('upload_quota_exceeded', 'upload quota of this job is used up', {
          status: 413,
        });
      }
    },
  };
}
