// Row types of the miner's ledger database, as Kysely sees them. Timestamps are ISO-8601 strings.
// Only `ledger-repo.ts` builds queries against these tables.

import type { Generated } from 'kysely';

/** Where a job stands in this miner's own view. */
export type JobLedgerStatus =
  | 'accepted'
  | 'downloading'
  | 'training'
  | 'submitting'
  | 'uploading'
  | 'uploaded'
  | 'refused'
  | 'failed'
  | 'cancelled'
  | 'missed'
  | 'scored'
  | 'closed';

/** Every offer received, and what this miner answered. */
export interface OffersTable {
  job_id: string;
  received_at: string;
  task_kind: string;
  model_id: string;
  model_family: string;
  parameter_count: number;
  approx_rows: number;
  time_limit_seconds: number;
  offer_expires_at: string;
  decision: 'accept' | 'reject' | null;
  reason: string | null;
  decided_at: string | null;
  /** The accept policy's estimate as JSON (OfferEstimate), when it made one. */
  estimate: string | null;
  /** The trainer, strategy and hyperparameters configured when the offer was decided, as JSON. */
  settings: string | null;
}

/** Jobs this miner took on. */
export interface JobsTable {
  job_id: string;
  status: JobLedgerStatus;
  deadline: string | null;
  work_dir: string | null;
  detail: string | null;
  created_at: string;
  updated_at: string;
}

/** Every commit this miner sent, with the validator's answer and the upload outcome. */
export interface SubmissionsTable {
  id: Generated<number>;
  job_id: string;
  artifact_sha256: string;
  artifact_kind: 'lora' | 'full';
  artifact_bytes: number;
  artifact_path: string;
  strategy_note: string;
  trainer: string;
  created_at: string;
  commit_status: 'sent' | 'acked' | 'refused';
  committed_at: string | null;
  refusal_code: string | null;
  upload_status: 'pending' | 'uploaded' | 'failed';
  upload_error: string | null;
  uploaded_at: string | null;
  /** The trainer's full recipe as JSON (hyperparameters, seed, data order, engine version), when it sent one. */
  recipe: string | null;
}

/** Results the validator announced. */
export interface ResultsTable {
  job_id: string;
  status: 'scored' | 'missed' | 'closed';
  loss_test: number | null;
  loss_synthetic: number | null;
  loss_combined: number | null;
  quality: number | null;
  integrity_flags: string;
  received_at: string;
}

/** Free-text notes: what happened to a job and why (cancellations, failures, resumes). */
export interface NotesTable {
  id: Generated<number>;
  job_id: string | null;
  at: string;
  text: string;
}

/** The ledger database. */
export interface LedgerDatabase {
  offers: OffersTable;
  jobs: JobsTable;
  submissions: SubmissionsTable;
  results: ResultsTable;
  notes: NotesTable;
}
