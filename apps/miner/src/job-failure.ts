// What a failed job ends as: `failed` for the miner's own failures, `refused` for the validator's, and still
// `uploaded` when an earlier checkpoint was delivered. It writes the outcome (note and phase) to the ledger;
// an aborted job is not a failure and never comes here.

import { codeOf, type JobContext } from './job-context.js';
import type { LedgerRepo } from './ledger/ledger-repo.js';
import type { JobLedgerStatus } from './ledger/schema.js';

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

/** The status (and detail) a job ends in after a failure with `code`: an earlier delivered checkpoint still stands. */
export async function failedStatus(
  ledger: LedgerRepo,
  jobId: string,
  code: string,
): Promise<[JobLedgerStatus, string]> {
  const history = await ledger.submissions(jobId);
  if (history.some((s) => s.commit_status === 'acked' && s.upload_status === 'uploaded')) {
    return ['uploaded', `final artifact not delivered (${code}); an earlier checkpoint stands`];
  }
  return [LOCAL_CODES.has(code) ? 'failed' : 'refused', code];
}

/** Logs `error`, notes it (with its cause) and sets the job's final phase; resolves with that phase. */
export async function recordFailure(
  ctx: JobContext,
  jobId: string,
  error: unknown,
): Promise<JobLedgerStatus> {
  const code = codeOf(error);
  const [status, detail] = await failedStatus(ctx.ledger, jobId, code);
  const cause = (error as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? ` (cause: ${cause.message})` : '';
  ctx.log.warn('job.failed', { jobId, code, status, message: (error as Error).message });
  await ctx.ledger.addNote(jobId, `${status} (${code}): ${(error as Error).message}${causeText}`);
  await ctx.setPhase(jobId, status, detail);
  return status;
}
