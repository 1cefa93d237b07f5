// Artifact uploads: checks the name, that the uploading miner committed the hash, the upload window
// (deadline + grace) and the size, then stages the bytes, verifies hash and bundle format and stores the file
// under its sha256. It does not judge what the model inside is; that is the evaluator's job.

import { decodeBundle } from '@tuning-arena/protocol';
import type { SubmissionsRepo } from '../db/submissions-repo.js';
import { ValidatorError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ArtifactStore } from '../storage/artifact-store.js';

/** What the artifact service needs. */
export interface ArtifactServiceDeps {
  submissions: SubmissionsRepo;
  store: ArtifactStore;
  logger: Logger;
  now: () => number;
  maxArtifactBytes: number;
  uploadGraceSeconds: number;
}

/** A stored upload. */
export interface ArtifactReceipt {
  sha256: string;
  bytes: number;
}

/** Receives artifact uploads. */
export interface ArtifactService {
  upload(
    minerId: string,
    name: string,
    body: ReadableStream<Uint8Array> | null,
    contentLength: number | undefined,
  ): Promise<ArtifactReceipt>;
}

const SHA256_NAME = /^[0-9a-f]{64}$/;

/** Creates the artifact service. */
export function createArtifactService(deps: ArtifactServiceDeps): ArtifactService {
  const { submissions, store, logger, maxArtifactBytes } = deps;
  return {
    upload: async (minerId, name, body, contentLength) => {
      if (!SHA256_NAME.test(name)) {
        throw new ValidatorError('invalid_artifact_name', 'an artifact name is its lower-case hex sha256');
      }
      const deadlines = await submissions.commitDeadlines(minerId, name);
      if (deadlines.length === 0) {
        throw new ValidatorError(
          'artifact_not_committed',
          'commit this hash with job.submit before uploading',
          {
            status: 403,
          },
        );
      }
      const graceMs = deps.uploadGraceSeconds * 1000;
      if (!deadlines.some((deadline) => deadline !== null && deps.now() < Date.parse(deadline) + graceMs)) {
        throw new ValidatorError('deadline_passed', 'the upload window of this commit has closed', {
          status: 403,
        });
      }
      if (contentLength !== undefined && contentLength > maxArtifactBytes) {
        throw new ValidatorError('artifact_too_large', `artifact exceeds ${maxArtifactBytes} bytes`, {
          status: 413,
        });
      }
      const staged = await store.stage(body, maxArtifactBytes);
      try {
        if (staged.sha256 !== name) {
          throw new ValidatorError('hash_mismatch', 'uploaded bytes do not hash to the committed sha256');
        }
        const bundle = decodeBundle(await staged.read(), maxArtifactBytes);
        if (!bundle.ok) {
          throw new ValidatorError(bundle.error.code, bundle.error.message, { issues: bundle.error.issues });
        }
        await staged.commit();
      } catch (error) {
        await staged.discard();
        throw error;
      }
      await submissions.insertArtifact({
        sha256: name,
        bytes: staged.bytes,
        uploaded_by: minerId,
        stored_at: new Date(deps.now()).toISOString(),
      });
      logger.info('artifact.stored', { sha256: name, bytes: staged.bytes, minerId });
      return { sha256: name, bytes: staged.bytes };
    },
  };
}
