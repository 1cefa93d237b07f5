// The JobDataPreparer port: turns a job's dataset id into a train file to serve and test rows kept on the
// validator. Test rows never leave the preparer's storage; the validator only serves `trainPath`.

import type { PromptFormat } from '@tuning-arena/protocol';

/** What to prepare: the job, its dataset id and an optional cap on rows. */
export interface PrepareRequest {
  jobId: string;
  dataset: string;
  maxRows?: number;
}

/** A prepared job: the train file (served to accepted miners) and how its rows are laid out. */
export interface PreparedJobData {
  trainPath: string;
  trainSha256: string;
  trainBytes: number;
  /** Number of train rows. */
  rows: number;
  taskKind: string;
  promptFormat: PromptFormat;
}

/** Prepares per-job data; rejects with `unknown_dataset` for an unknown dataset id, `internal_error` if it broke. */
export interface JobDataPreparer {
  prepare(request: PrepareRequest): Promise<PreparedJobData>;
  /** Rejects with `unknown_dataset` when `dataset` could not be prepared (checked before a program is stored). */
  check(dataset: string): Promise<void>;
  /** Removes what `prepare` wrote for a job that was then not stored. */
  discard(jobId: string): Promise<void>;
}
