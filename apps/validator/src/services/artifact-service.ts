// Artifact uploads: checks the name, that the uploading miner committed the hash, the upload window
// (deadline + grace), the size, the upload slots and the per-job byte quota, then streams the bytes to disk
// (hashing and guarding against stalls), verifies hash and bundle container from disk with bounded memory
// and stores the file under its sha256. It does not judge the files inside; that is the evaluator's job.

import type { SubmissionsRepo } from '../db/submissions-repo.js';
import type { UploadWindowsRepo } from '../db/upload-windows-repo.js';
import { isValidatorError, ValidatorError } from '../errors.js';
import type { LimitLog } from '../limit-log.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import type { MetricsEvents } from '../metrics/validator-metrics.js';
import type { ArtifactStore } from '../storage/artifact-store.js';
import { checkBundleFile } from '../storage/bundle-file.js';
import type { Uploader, UploadLimiter } from './upload-limiter.js';

/** What the artifact service needs. */
interface ArtifactServiceDeps {
  submissions: SubmissionsRepo;
  windows: UploadWindowsRepo;
  store: ArtifactStore;
  limiter: UploadLimiter;
  limitLog: LimitLog;
  logger: Logger;
  now: () => number;
  maxArtifactBytes: number;
  uploadGraceSeconds: number;
  limits: Pick<Limits, 'uploadIdleTimeoutMs' | 'uploadMinBytesPerSecond'>;
  /** Counts upload bytes as they arrive. */
  metrics?: Pick<MetricsEvents, 'uploadBytes'>;
}

/** A stored upload. */
interface ArtifactReceipt {
  sha256: string;
  bytes: number;
}

/** One upload request as the route hands it over. */
interface UploadRequest {
  minerId: string;
  name: string;
  body: ReadableStream<Uint8Array> | null;
  /** The Content-Length header, when the client sent one. */
  contentLength: number | undefined;
  remoteAddress: string | undefined;
}

/** Receives artifact uploads. */
export interface ArtifactService {
  upload(request: UploadRequest): Promise<ArtifactReceipt>;
}

const SHA256_NAME = /^[0-9a-f]{64}$/;

/** Creates the artifact service. */
export function createArtifactService(deps: ArtifactServiceDeps): ArtifactService {
  const { submissions, store, limiter, limitLog, logger, maxArtifactBytes } = deps;

  const openJobs = async (minerId: string, name: string): Promise<string[]> => {
    const windows = await deps.windows.forArtifact(minerId, name);
    if (windows.length === 0) {
      throw new ValidatorError(
        'artifact_not_committed',
        'commit this hash with job.submit before uploading',
        {
          status: 403,
        },
      );
    }
    const graceMs = deps.uploadGraceSeconds * 1000;
    const open = windows.filter((w) => w.deadline !== null && deps.now() < Date.parse(w.deadline) + graceMs);
    if (open.length === 0) {
      throw new ValidatorError('deadline_passed', 'the upload window of this commit has closed', {
        status: 403,
      });
    }
    return open.map((w) => w.jobId);
  };

  // Refuse on Content-Length before a byte is read, where the client told us the size.
  const checkDeclaredSize = (uploader: Uploader, contentLength: number | undefined) => {
    if (contentLength === undefined || !Number.isFinite(contentLength)) return;
    if (contentLength > maxArtifactBytes) {
      limitLog.hit('artifact_too_large', uploader.minerId, { ...uploaderFields(uploader), contentLength });
      throw new ValidatorError('artifact_too_large', `artifact exceeds ${maxArtifactBytes} bytes`, {
        status: 413,
      });
    }
    if (contentLength > limiter.remaining(uploader)) {
      limitLog.hit('upload_quota_exceeded', uploader.minerId, { ...uploaderFields(uploader), contentLength });
      throw new ValidatorError('upload_quota_exceeded', 'upload quota of this job is used up', {
        status: 413,
      });
    }
  };

  const receive = async (uploader: Uploader, name: string, body: UploadRequest['body']) => {
    const staged = await store
      .stage(body, {
        maxBytes: maxArtifactBytes,
        idleTimeoutMs: deps.limits.uploadIdleTimeoutMs,
        minBytesPerSecond: deps.limits.uploadMinBytesPerSecond,
        onChunk: (bytes) => {
          deps.metrics?.uploadBytes(bytes);
          limiter.charge(uploader, bytes);
        },
      })
      .catch((error: unknown) => {
        if (isValidatorError(error) && error.code === 'upload_stalled') {
          limitLog.hit('upload_stalled', uploader.minerId, { ...uploaderFields(uploader), sha256: name });
        } else if (isValidatorError(error) && error.code === 'artifact_too_large') {
          limitLog.hit('artifact_too_large', uploader.minerId, uploaderFields(uploader));
        }
        throw error;
      });
    try {
      if (staged.sha256 !== name) {
        throw new ValidatorError('hash_mismatch', 'uploaded bytes do not hash to the committed sha256');
      }
      const bundle = await checkBundleFile(staged.tempPath);
      if (!bundle.ok) {
        throw new ValidatorError(bundle.error.code, bundle.error.message, { issues: bundle.error.issues });
      }
      await staged.commit();
    } catch (error) {
      await staged.discard();
      throw error;
    }
    return staged.bytes;
  };

  return {
    upload: async ({ minerId, name, body, contentLength, remoteAddress }) => {
      if (!SHA256_NAME.test(name)) {
        throw new ValidatorError('invalid_artifact_name', 'an artifact name is its lower-case hex sha256');
      }
      const uploader: Uploader = { minerId, remoteAddress, jobIds: await openJobs(minerId, name) };
      checkDeclaredSize(uploader, contentLength);
      const release = limiter.acquire(uploader);
      let bytes: number;
      try {
        bytes = await receive(uploader, name, body);
      } finally {
        release();
      }
      await submissions.insertArtifact({
        sha256: name,
        bytes,
        uploaded_by: minerId,
        stored_at: new Date(deps.now()).toISOString(),
      });
      logger.info('artifact.stored', { sha256: name, bytes, minerId });
      return { sha256: name, bytes };
    },
  };
}

function uploaderFields(uploader: Uploader) {
  return { minerId: uploader.minerId, remoteAddress: uploader.remoteAddress, jobIds: uploader.jobIds };
}
