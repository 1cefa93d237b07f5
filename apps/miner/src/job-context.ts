// What every step of a job shares: the miner's collaborators (ledger, gateway, transfers, trainer) and the
// few helpers built on them (record-then-announce a phase, the current session token, transfer retries).
// The steps themselves live in job-delivery.ts, job-training.ts and job-failure.ts.

import type { FileRef } from '@tuning-arena/protocol';
import { isMinerError, MinerError } from './errors.js';
import type { GatewayClient } from './gateway-client.js';
import type { MinerIdentity } from './keys.js';
import type { LedgerRepo } from './ledger/ledger-repo.js';
import type { JobLedgerStatus } from './ledger/schema.js';
import type { Logger } from './logger.js';
import type { SubmitAcks } from './submit-acks.js';
import type { Trainer, TrainProgress } from './trainer.js';
import { withRetry } from './transfer-retry.js';

/** The part of the gateway link a job uses: wait for a session, send a frame, read the session token. */
export type JobGateway = Pick<GatewayClient, 'waitReady' | 'send' | 'welcome'>;

/** A job's bulk transfers with a session token (HTTP against the validator; retries are the caller's). */
export interface JobTransfers {
  /** Downloads `ref` to `path`, verified against its sha256 and size. */
  download(ref: FileRef, path: string, token: string, signal: AbortSignal): Promise<void>;
  /** Uploads an artifact to the URL a `submit.ack` named. */
  upload(uploadUrl: string, data: Uint8Array, token: string, signal: AbortSignal): Promise<void>;
}

/** What the job runner needs from the miner. */
export interface JobRunnerDeps {
  dataDir: string;
  identity: MinerIdentity;
  trainer: Trainer;
  ledger: LedgerRepo;
  gateway: JobGateway;
  transfers: JobTransfers;
  acks: SubmitAcks;
  log: Logger;
  /** Least time between two `job.progress` frames of one job. */
  progressIntervalMs: number;
  /** How long past the deadline a trainer may run before it is aborted. */
  trainerOverrunMs: number;
  /** How long to wait for the answer to a `job.submit` before sending it again. */
  submitTimeoutMs: number;
  /** Tells the miner where the job stands. */
  onPhase(jobId: string, phase: JobLedgerStatus, detail?: string): void;
  /** Tells the miner about training progress. */
  onProgress(jobId: string, progress: TrainProgress): void;
}

/** The deps plus the helpers every step uses. */
export interface JobContext extends JobRunnerDeps {
  /** Stores the job's phase (and detail; `null` clears it), then tells the miner. */
  setPhase(jobId: string, phase: JobLedgerStatus, detail?: string | null): Promise<void>;
  /** The current session token, once a session is up; MinerError `aborted` when `signal` aborts first. */
  token(signal: AbortSignal): Promise<string>;
  /** Runs one transfer, retrying transient failures (transfer-retry.ts). */
  retry<T>(signal: AbortSignal, what: string, attempt: () => Promise<T>): Promise<T>;
}

/** The code of a failure: a MinerError's own, anything else `internal_error`. */
export const codeOf = (error: unknown): string => (isMinerError(error) ? error.code : 'internal_error');

/** Adds the shared helpers to the deps. */
export function createJobContext(deps: JobRunnerDeps): JobContext {
  const { ledger, gateway, log } = deps;
  return {
    ...deps,
    async setPhase(jobId, phase, detail) {
      await ledger.upsertJob(jobId, phase, detail === undefined ? {} : { detail });
      deps.onPhase(jobId, phase, detail ?? undefined);
    },
    async token(signal) {
      await gateway.waitReady(signal);
      const current = gateway.welcome?.sessionToken;
      if (!current || signal.aborted) throw new MinerError('aborted', 'miner stopped', signal.reason);
      return current;
    },
    retry: (signal, what, attempt) => withRetry(signal, what, attempt, log),
  };
}
