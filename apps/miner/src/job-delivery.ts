// Delivers what a trainer produced: packs it into a bundle stored under its hash and recorded in the ledger
// with its recipe, commits it with a signed `job.submit` carrying the note and recipe (sent again until
// answered), then uploads it; every outcome is written to the ledger. Training, and what a failure means
// for the job, are other steps' business.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  clipText,
  decodeRecipe,
  encodeBundle,
  encodeRecipe,
  MAX_NOTE_CHARS,
  type SubmitAck,
  sha256Hex,
  signPayload,
  submissionPayload,
} from '@tuning-arena/protocol';
import { isMinerError, MinerError } from './errors.js';
import { codeOf, type JobContext } from './job-context.js';
import type { SubmissionRow } from './ledger/ledger-repo.js';
import { outputFiles, type TrainOutput } from './trainer.js';

/** Whether a stored recipe fits what a commit may carry. */
function sendableRecipe(recipe: string | null): recipe is string {
  return recipe !== null && decodeRecipe(recipe).ok;
}

/** Creates the delivery step: `record` a trainer output, then `deliver` it. */
export function createDelivery(ctx: JobContext) {
  const { ledger, gateway } = ctx;

  /** Packs a trainer output, stores it under its hash and records the submission. */
  const record = async (jobId: string, workDir: string, output: TrainOutput): Promise<SubmissionRow> => {
    const bundle = encodeBundle(await outputFiles(output));
    const sha256 = sha256Hex(bundle);
    const artifactPath = join(workDir, `artifact-${sha256}.bundle`);
    await writeFile(artifactPath, bundle);
    // A recipe travels only when it fits the protocol's bounds (the ledger keeps it anyway); not fatal.
    const recipe = output.recipe === undefined ? undefined : encodeRecipe(output.recipe);
    if (recipe && !recipe.ok) await ledger.addNote(jobId, `recipe not sent: ${recipe.error.message}`);
    const id = await ledger.addSubmission({
      jobId,
      artifactSha256: sha256,
      artifactKind: output.kind,
      artifactBytes: bundle.byteLength,
      artifactPath,
      strategyNote: output.strategyNote,
      trainer: ctx.trainer.name,
      ...(output.recipe === undefined ? {} : { recipe: output.recipe }),
    });
    const row = await ledger.latestSubmission(jobId);
    if (!row || row.id !== id) throw new MinerError('internal_error', 'submission vanished from the ledger');
    return row;
  };

  /** Sends the signed `job.submit` until the validator answers; a refusal is stored on the submission. */
  const commit = async (
    submission: SubmissionRow,
    signal: AbortSignal,
    final: boolean,
  ): Promise<SubmitAck> => {
    const { job_id: jobId, artifact_sha256: sha, artifact_kind: kind } = submission;
    const signature = signPayload(
      ctx.identity.privateKeyPem,
      submissionPayload(jobId, ctx.identity.publicKey, sha, kind),
    );
    try {
      return await ctx.retry(signal, 'commit', async () => {
        await gateway.waitReady(signal);
        const answer = ctx.acks.wait(jobId, ctx.submitTimeoutMs, signal);
        const sent = gateway.send({
          type: 'job.submit',
          jobId,
          artifactSha256: sha,
          artifactKind: kind,
          strategyNote: clipText(submission.strategy_note, MAX_NOTE_CHARS),
          ...(sendableRecipe(submission.recipe) ? { recipe: submission.recipe } : {}),
          signature,
          // The trainer's last output: once every accepted miner says so, the job closes early.
          ...(final ? { final: true } : {}),
        });
        if (!sent) ctx.acks.refuse(jobId, 'disconnected', 'link down');
        return await answer;
      });
    } catch (error) {
      if (!['aborted', 'disconnected'].includes(codeOf(error)))
        await ledger.markRefused(submission.id, codeOf(error));
      throw error;
    }
  };

  /** Uploads the committed artifact; a failure is stored with the validator's code where it gave one. */
  const upload = async (submission: SubmissionRow, ack: SubmitAck, signal: AbortSignal) => {
    const data = await readFile(submission.artifact_path);
    try {
      await ctx.retry(signal, 'upload', async () =>
        ctx.transfers.upload(ack.uploadUrl, data, await ctx.token(signal), signal),
      );
    } catch (error) {
      const code = isMinerError(error) ? ((error.cause as { code?: string })?.code ?? error.code) : 'unknown';
      await ledger.markUploadFailed(submission.id, code);
      throw error;
    }
    await ledger.markUploaded(submission.id);
  };

  return {
    record,
    /** Commits and uploads one submission; `announce` (the final output, not a checkpoint) moves the job's
     * phase along and marks the commit final. */
    async deliver(submission: SubmissionRow, signal: AbortSignal, announce: boolean): Promise<void> {
      if (announce) await ctx.setPhase(submission.job_id, 'submitting');
      const ack = await commit(submission, signal, announce);
      await ledger.markAcked(submission.id, ack.committedAt);
      if (announce) await ctx.setPhase(submission.job_id, 'uploading');
      await upload(submission, ack, signal);
    },
  };
}

/** The delivery step as returned by `createDelivery`. */
export type Delivery = ReturnType<typeof createDelivery>;
