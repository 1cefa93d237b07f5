// Trains one job: fetches its inputs (reusing verified files of an earlier attempt), runs the trainer until
// the deadline plus the allowed overrun, forwards its progress (cleaned and throttled) and delivers the
// checkpoints it offers one at a time. Delivering the final output is the runner's business.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobStart } from '@tuning-arena/protocol';
import { MinerError } from './errors.js';
import { codeOf, type JobContext } from './job-context.js';
import type { Delivery } from './job-delivery.js';
import { fetchJobInputs } from './job-inputs.js';
import type { CheckpointOutcome, TrainOutput, TrainProgress } from './trainer.js';

/** Delivers checkpoints one after another (never two at once); `settled` waits for the last one. */
function createCheckpoints(
  ctx: JobContext,
  delivery: Delivery,
  jobId: string,
  workDir: string,
  signal: AbortSignal,
) {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    submit(output: TrainOutput): Promise<CheckpointOutcome> {
      const next = chain.then(async (): Promise<CheckpointOutcome> => {
        try {
          const row = await delivery.record(jobId, workDir, output);
          await delivery.deliver(row, signal, false);
          await ctx.ledger.addNote(jobId, `checkpoint ${row.artifact_sha256} committed and uploaded`);
          return { ok: true, artifactSha256: row.artifact_sha256 };
        } catch (error) {
          await ctx.ledger.addNote(jobId, `checkpoint not delivered (${codeOf(error)})`).catch(() => {});
          return { ok: false, code: codeOf(error) };
        }
      });
      chain = next;
      return next;
    },
    settled: () => chain,
  };
}

/** Passes finite progress on to the miner, and at most one `job.progress` frame per interval before the deadline. */
function createProgressForwarder(ctx: JobContext, jobId: string, deadline: Date) {
  let lastSent = 0;
  return (progress: TrainProgress) => {
    if (![progress.step, progress.trainLoss, progress.etaSeconds].every(Number.isFinite)) return;
    const clean = {
      step: Math.max(0, Math.floor(progress.step)),
      trainLoss: progress.trainLoss,
      etaSeconds: Math.max(0, progress.etaSeconds),
    };
    ctx.onProgress(jobId, clean);
    // Past the deadline the validator refuses progress anyway.
    if (Date.now() - lastSent < ctx.progressIntervalMs || Date.now() >= deadline.getTime()) return;
    if (ctx.gateway.send({ type: 'job.progress', jobId, ...clean })) lastSent = Date.now();
  };
}

/** Creates the training step: `train` resolves with the trainer's output, or throws `trainer_failed`/`aborted`. */
export function createTraining(ctx: JobContext, delivery: Delivery) {
  return async function train(start: JobStart, workDir: string, signal: AbortSignal): Promise<TrainOutput> {
    const { jobId } = start;
    await ctx.setPhase(jobId, 'downloading');
    const inputs = await fetchJobInputs(start, workDir, (ref, path) =>
      ctx.retry(signal, `download of ${ref.url}`, async () =>
        ctx.transfers.download(ref, path, await ctx.token(signal), signal),
      ),
    );
    await ctx.setPhase(jobId, 'training');
    const deadline = new Date(start.deadline);
    const overrun = Math.max(0, deadline.getTime() + ctx.trainerOverrunMs - Date.now());
    const outputDir = join(workDir, 'output');
    await mkdir(outputDir, { recursive: true });
    const checkpoints = createCheckpoints(ctx, delivery, jobId, workDir, signal);
    try {
      return await ctx.trainer.train({
        jobId,
        ...inputs,
        promptFormat: start.promptFormat,
        deadline,
        signal: AbortSignal.any([signal, AbortSignal.timeout(overrun)]),
        outputDir,
        submitCheckpoint: checkpoints.submit,
        onProgress: createProgressForwarder(ctx, jobId, deadline),
      });
    } catch (cause) {
      if (signal.aborted) throw new MinerError('aborted', 'job aborted', signal.reason);
      throw new MinerError('trainer_failed', `trainer ${ctx.trainer.name} failed`, cause);
    } finally {
      await checkpoints.settled();
    }
  };
}
