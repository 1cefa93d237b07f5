// Runs one accepted job end to end: fetch the inputs, train, pack the artifact, commit it with a signed
// `job.submit`, then upload it; checkpoints a trainer offers along the way go the same route. Every step
// is written to the ledger first, and a re-run of a job resumes from its last submission instead of
// training again. Deciding on offers and dispatching frames is `miner.ts`'s business.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type JobStart, sha256Hex } from '@tuning-arena/protocol';
import { isMinerError } from './errors.js';
import { createJobContext, type JobRunnerDeps } from './job-context.js';
import { createDelivery } from './job-delivery.js';
import { recordFailure } from './job-failure.js';
import { createTraining } from './job-training.js';
import type { SubmissionRow } from './ledger/ledger-repo.js';
import type { JobLedgerStatus } from './ledger/schema.js';

/** A directory name for a job id that cannot escape the jobs folder (ids may contain dots). */
function jobDirName(jobId: string): string {
  const digest = sha256Hex(jobId).slice(0, 8);
  return `${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}-${digest}`;
}

/** Whether a job's last submission can be delivered again without training: not refused, file still there. */
function isResumable(latest: SubmissionRow | undefined): latest is SubmissionRow {
  return latest !== undefined && latest.commit_status !== 'refused' && existsSync(latest.artifact_path);
}

/** Creates the job runner; `run()` drives one job until it is uploaded, refused, failed or aborted. */
export function createJobRunner(deps: JobRunnerDeps) {
  const ctx = createJobContext(deps);
  const delivery = createDelivery(ctx);
  const train = createTraining(ctx, delivery);
  const { ledger } = ctx;

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
          await ctx.setPhase(jobId, 'uploaded');
          return 'uploaded';
        }
        const resumable = isResumable(latest) ? latest : undefined;
        if (resumable) await ledger.addNote(jobId, `resuming submission ${resumable.artifact_sha256}`);
        const submission =
          resumable ?? (await delivery.record(jobId, workDir, await train(start, workDir, signal)));
        await delivery.deliver(submission, signal, true);
        await ctx.setPhase(jobId, 'uploaded', null);
        return 'uploaded';
      } catch (error) {
        if (signal.aborted || isMinerError(error, 'aborted')) {
          ctx.log.info('job.aborted', { jobId });
          return 'cancelled';
        }
        return await recordFailure(ctx, jobId, error);
      }
    },
  };
}
