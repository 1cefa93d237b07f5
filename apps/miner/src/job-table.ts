// The miner's in-memory table of jobs it holds: phase, deadline, progress, and the abort controller and
// task of a running job. It answers "which slots are busy"; the ledger remains the record of truth.

import type { JobLedgerStatus } from './ledger/schema.js';
import type { TrainProgress } from './trainer.js';

/** Ledger statuses of a job that still holds a slot. */
export const ACTIVE_STATUSES: ReadonlySet<JobLedgerStatus> = new Set([
  'accepted',
  'downloading',
  'training',
  'submitting',
  'uploading',
]);

/** A job as `status()` shows it. */
export interface JobState {
  jobId: string;
  phase: JobLedgerStatus;
  deadline: string | null;
  detail: string | null;
  progress: TrainProgress | null;
}

/** A job in hand: its state plus the means to abort it and the promise of its run. */
interface LiveJob extends JobState {
  controller: AbortController;
  task: Promise<unknown> | null;
}

/** Creates an empty job table. */
export function createJobTable() {
  const jobs = new Map<string, LiveJob>();
  return {
    /** The job, if it is in the table. */
    get: (jobId: string): LiveJob | undefined => jobs.get(jobId),
    /** Adds the job or updates its phase (and deadline, when given). */
    track(jobId: string, phase: JobLedgerStatus, deadline: string | null = null): LiveJob {
      let job = jobs.get(jobId);
      if (!job) {
        job = {
          jobId,
          phase,
          deadline,
          detail: null,
          progress: null,
          controller: new AbortController(),
          task: null,
        };
        jobs.set(jobId, job);
      }
      job.phase = phase;
      if (deadline) job.deadline = deadline;
      return job;
    },
    /** Ids of the jobs that hold a slot. */
    activeJobIds: (): string[] =>
      [...jobs.values()].filter((job) => ACTIVE_STATUSES.has(job.phase)).map((job) => job.jobId),
    /** Every job in the table. */
    all: (): LiveJob[] => [...jobs.values()],
    /** Plain snapshots of every job, for status reports. */
    snapshot: (): JobState[] =>
      [...jobs.values()].map(({ jobId, phase, deadline, detail, progress }) => ({
        jobId,
        phase,
        deadline,
        detail,
        progress,
      })),
  };
}

/** A job table as returned by `createJobTable`. */
export type JobTable = ReturnType<typeof createJobTable>;
