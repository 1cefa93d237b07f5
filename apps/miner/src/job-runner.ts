// Runs one accepted job end to end: fetch the inputs, train, pack the artifact, commit it with a signed
// `job.submit`, then upload it; checkpoints a trainer offers along the way go the same route. Every step
// is written to the ledger first, and a re-run of a job resumes from its last submission instead of
// training again. Deciding on offers and dispatching frames is `miner.ts`'s business.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  clipText,
  encodeBundle,
  type JobStart,
  MAX_NOTE_CHARS,
  type SubmitAck,
  sha256Hex,
  signPayload,
  submissionPayload,
} from '@tuning-arena/protocol';
import { isMinerError, MinerError } from './errors.js';
import type { GatewayClient } from './gateway-client.js';
import { fetchJobInputs } from './job-inputs.js';
import type { MinerIdentity } from './keys.js';
import type { LedgerRepo, SubmissionRow } from './ledger/ledger-repo.js';
import type { JobLedgerStatus } from './ledger/schema.js';
import type { Logger } from './logger.js';
import type { SubmitAcks } from './submit-acks.js';
import {
  type CheckpointOutcome,
  outputFiles,
  type Trainer,
  type TrainOutput,
  type TrainProgress,
} from './trainer.js';
import { withRetry } from './transfer-retry.js';
import { downloadVerified, uploadArtifact } from './transfers.js';

/** What the job runner needs from the miner. */
interface JobRunnerDeps {
  validatorUrl: string;
  dataDir: string;
  identity: MinerIdentity;
  trainer: Trainer;
  ledger: LedgerRepo;
  gateway: GatewayClient;
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

/** Failures of the miner itself, as opposed to refusals by the validator. */
const LOCAL_CODES = new Set([
  'download_failed',
  'hash_mismatch',
  'invalid_bundle',
  'trainer_failed',
  'trainer_output_invalid',
  'disconnected',
  'upload_failed',
  'internal_error',
]);

/** A directory name for a job id that cannot escape the jobs folder (ids may contain dots). */
function jobDirName(jobId: string): string {
  const digest = sha256Hex(jobId).slice(0, 8);
  return `${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}-${digest}`;
}

const codeOf = (error: unknown) => (isMinerError(error) ? error.code : 'internal_error');

/** Creates the job runner; `run()` drives one job until it is uploaded, refused, failed or aborted. */
export function createJobRunner(deps: JobRunnerDeps) {
  const { ledger, gateway, log } = deps;

  const setPhase = async (jobId: string, phase: JobLedgerStatus, detail?: string | null) => {
    await ledger.upsertJob(jobId, phase, detail === undefined ? {} : { detail });
    deps.onPhase(jobId, phase, detail ?? undefined);
  };

  const token = async (signal: AbortSignal): Promise<string> => {
    await gateway.waitReady(signal);
    const current = gateway.welcome?.sessionToken;
    if (!current || signal.aborted) throw new MinerError('aborted', 'miner stopped', signal.reason);
    return current;
  };

  const retry = <T>(signal: AbortSignal, what: string, attempt: () => Promise<T>) =>
    withRetry(signal, what, attempt, log);

  /** Packs a trainer output, stores it under its hash and records the submission. */
  const record = async (jobId: string, workDir: string, output: TrainOutput): Promise<SubmissionRow> => {
    const bundle = encodeBundle(await outputFiles(output));
    const sha256 = sha256Hex(bundle);
    const artifactPath = join(workDir, `artifact-${sha256}.bundle`);
    await writeFile(artifactPath, bundle);
    const id = await ledger.addSubmission({
      jobId,
      artifactSha256: sha256,
      artifactKind: output.kind,
      artifactBytes: bundle.byteLength,
      artifactPath,
      strategyNote: output.strategyNote,
      trainer: deps.trainer.name,
    });
    const row = await ledger.latestSubmission(jobId);
    if (!row || row.id !== id) throw new MinerError('internal_error', 'submission vanished from the ledger');
    return row;
  };

  const commit = async (
    submission: SubmissionRow,
    signal: AbortSignal,
    final: boolean,
  ): Promise<SubmitAck> => {
    const { job_id: jobId, artifact_sha256: sha, artifact_kind: kind } = submission;
    const signature = signPayload(
      deps.identity.privateKeyPem,
      submissionPayload(jobId, deps.identity.publicKey, sha, kind),
    );
    try {
      return await retry(signal, 'commit', async () => {
        await gateway.waitReady(signal);
        const answer = deps.acks.wait(jobId, deps.submitTimeoutMs, signal);
        const sent = gateway.send({
          type: 'job.submit',
          jobId,
          artifactSha256: sha,
          artifactKind: kind,
          strategyNote: clipText(submission.strategy_note, MAX_NOTE_CHARS),
          signature,
          // The trainer's last output: once every accepted miner says so, the job closes early.
          ...(final ? { final: true } : {}),
        });
        if (!sent) deps.acks.refuse(jobId, 'disconnected', 'link down');
        return await answer;
      });
    } catch (error) {
      if (!['aborted', 'disconnected'].includes(codeOf(error)))
        await ledger.markRefused(submission.id, codeOf(error));
      throw error;
    }
  };

  const upload = async (submission: SubmissionRow, ack: SubmitAck, signal: AbortSignal) => {
    const data = await readFile(submission.artifact_path);
    try {
      await retry(signal, 'upload', async () =>
        uploadArtifact(deps.validatorUrl, ack.uploadUrl, data, await token(signal), signal),
      );
    } catch (error) {
      const code = isMinerError(error) ? ((error.cause as { code?: string })?.code ?? error.code) : 'unknown';
      await ledger.markUploadFailed(submission.id, code);
      throw error;
    }
    await ledger.markUploaded(submission.id);
  };

  /** Commits and uploads one submission; `announce` (the final output, not a checkpoint) moves the job's phase
   * along and marks the commit final. */
  const deliver = async (submission: SubmissionRow, signal: AbortSignal, announce: boolean) => {
    if (announce) await setPhase(submission.job_id, 'submitting');
    const ack = await commit(submission, signal, announce);
    await ledger.markAcked(submission.id, ack.committedAt);
    if (announce) await setPhase(submission.job_id, 'uploading');
    await upload(submission, ack, signal);
  };

  const train = async (start: JobStart, workDir: string, signal: AbortSignal): Promise<TrainOutput> => {
    const { jobId } = start;
    await setPhase(jobId, 'downloading');
    const inputs = await fetchJobInputs(start, workDir, (ref, path) =>
      retry(signal, `download of ${ref.url}`, async () =>
        downloadVerified(deps.validatorUrl, ref, path, await token(signal), signal),
      ),
    );
    await setPhase(jobId, 'training');
    const deadline = new Date(start.deadline);
    const overrun = Math.max(0, deadline.getTime() + deps.trainerOverrunMs - Date.now());
    const outputDir = join(workDir, 'output');
    await mkdir(outputDir, { recursive: true });
    let lastSent = 0;
    let checkpoints: Promise<unknown> = Promise.resolve();
    const submitCheckpoint = (output: TrainOutput): Promise<CheckpointOutcome> => {
      const next = checkpoints.then(async (): Promise<CheckpointOutcome> => {
        try {
          const row = await record(jobId, workDir, output);
          await deliver(row, signal, false);
          await ledger.addNote(jobId, `checkpoint ${row.artifact_sha256} committed and uploaded`);
          return { ok: true, artifactSha256: row.artifact_sha256 };
        } catch (error) {
          await ledger.addNote(jobId, `checkpoint not delivered (${codeOf(error)})`).catch(() => {});
          return { ok: false, code: codeOf(error) };
        }
      });
      checkpoints = next;
      return next;
    };
    try {
      return await deps.trainer.train({
        jobId,
        ...inputs,
        promptFormat: start.promptFormat,
        deadline,
        signal: AbortSignal.any([signal, AbortSignal.timeout(overrun)]),
        outputDir,
        submitCheckpoint,
        onProgress: (progress) => {
          if (![progress.step, progress.trainLoss, progress.etaSeconds].every(Number.isFinite)) return;
          const clean = {
            step: Math.max(0, Math.floor(progress.step)),
            trainLoss: progress.trainLoss,
            etaSeconds: Math.max(0, progress.etaSeconds),
          };
          deps.onProgress(jobId, clean);
          // Past the deadline the validator refuses progress anyway.
          if (Date.now() - lastSent < deps.progressIntervalMs || Date.now() >= deadline.getTime()) return;
          if (gateway.send({ type: 'job.progress', jobId, ...clean })) lastSent = Date.now();
        },
      });
    } catch (cause) {
      if (signal.aborted) throw new MinerError('aborted', 'job aborted', signal.reason);
      throw new MinerError('trainer_failed', `trainer ${deps.trainer.name} failed`, cause);
    } finally {
      await checkpoints;
    }
  };

  /** The status a job ends in after `error`: an earlier delivered checkpoint still stands. */
  const failedStatus = async (jobId: string, code: string): Promise<[JobLedgerStatus, string]> => {
    const history = await ledger.submissions(jobId);
    if (history.some((s) => s.commit_status === 'acked' && s.upload_status === 'uploaded')) {
      return ['uploaded', `final artifact not delivered (${code}); an earlier checkpoint stands`];
    }
    return [LOCAL_CODES.has(code) ? 'failed' : 'refused', code];
  };

  return {
    /** Drives `start` to an uploaded artifact; settles with the final ledger status, never throws. */
    async run(start: JobStart, signal: AbortSignal): Promise<JobLedgerStatus> {
      const { jobId } = start;
      const workDir = join(deps.dataDir, 'jobs', jobDirName(jobId));
      try {
        await mkdir(workDir, { recursive: true });
        await ledger.upsertJob(jobId, 'downloading', { deadline: start.deadline, workDir });
        const latest = await ledger.latestSubmission(jobId);
        if (latest?.upload_status === 'uploaded') {
          await setPhase(jobId, 'uploaded');
          return 'uploaded';
        }
        const resumable =
          latest && latest.commit_status !== 'refused' && existsSync(latest.artifact_path)
            ? latest
            : undefined;
        if (resumable) await ledger.addNote(jobId, `resuming submission ${resumable.artifact_sha256}`);
        const submission = resumable ?? (await record(jobId, workDir, await train(start, workDir, signal)));
        await deliver(submission, signal, true);
        await setPhase(jobId, 'uploaded', null);
        return 'uploaded';
      } catch (error) {
        if (signal.aborted || isMinerError(error, 'aborted')) {
          log.info('job.aborted', { jobId });
          return 'cancelled';
        }
        const code = codeOf(error);
        const [status, detail] = await failedStatus(jobId, code);
        const cause = (error as { cause?: unknown }).cause;
        const causeText = cause instanceof Error ? ` (cause: ${cause.message})` : '';
        log.warn('job.failed', { jobId, code, status, message: (error as Error).message });
        await ledger.addNote(jobId, `${status} (${code}): ${(error as Error).message}${causeText}`);
        await setPhase(jobId, status, detail);
        return status;
      }
    },
  };
}
