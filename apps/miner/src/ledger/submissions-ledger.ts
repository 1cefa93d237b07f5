// The ledger's submissions table: every commit this miner sent, with the validator's answer and the upload
// outcome, recorded before the commit goes out so a restart can resume or settle it.

import type { Kysely, Selectable } from 'kysely';
import type { LedgerDatabase, SubmissionsTable } from './schema.js';

/** A submission row. */
export type SubmissionRow = Selectable<SubmissionsTable>;

/** A new submission to record before its commit is sent. */
export interface NewSubmission {
  jobId: string;
  artifactSha256: string;
  artifactKind: 'lora' | 'full';
  artifactBytes: number;
  artifactPath: string;
  strategyNote: string;
  trainer: string;
  /** The trainer's recipe (JSON data), when it sent one. */
  recipe?: unknown;
}

const now = () => new Date().toISOString();

/** Creates the submissions repository over an open ledger database. */
export function createSubmissionsLedger(db: Kysely<LedgerDatabase>) {
  return {
    /** Records a submission before its commit goes out; returns its id. */
    async addSubmission(submission: NewSubmission): Promise<number> {
      const row = await db
        .insertInto('submissions')
        .values({
          job_id: submission.jobId,
          artifact_sha256: submission.artifactSha256,
          artifact_kind: submission.artifactKind,
          artifact_bytes: submission.artifactBytes,
          artifact_path: submission.artifactPath,
          strategy_note: submission.strategyNote,
          trainer: submission.trainer,
          created_at: now(),
          commit_status: 'sent',
          committed_at: null,
          refusal_code: null,
          upload_status: 'pending',
          upload_error: null,
          uploaded_at: null,
          recipe: submission.recipe === undefined ? null : JSON.stringify(submission.recipe),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** Marks a submission's commit as acknowledged at the validator's commit time. */
    async markAcked(id: number, committedAt: string): Promise<void> {
      await db
        .updateTable('submissions')
        .set({ commit_status: 'acked', committed_at: committedAt })
        .where('id', '=', id)
        .execute();
    },

    /** Marks a submission's commit as refused with the validator's code. */
    async markRefused(id: number, code: string): Promise<void> {
      await db
        .updateTable('submissions')
        .set({ commit_status: 'refused', refusal_code: code })
        .where('id', '=', id)
        .execute();
    },

    /** Marks a submission's artifact as uploaded. */
    async markUploaded(id: number): Promise<void> {
      await db
        .updateTable('submissions')
        .set({ upload_status: 'uploaded', upload_error: null, uploaded_at: now() })
        .where('id', '=', id)
        .execute();
    },

    /** Marks a submission's upload as failed, with the error code or message. */
    async markUploadFailed(id: number, error: string): Promise<void> {
      await db
        .updateTable('submissions')
        .set({ upload_status: 'failed', upload_error: error })
        .where('id', '=', id)
        .execute();
    },

    /** The most recent submission of a job. */
    async latestSubmission(jobId: string): Promise<SubmissionRow | undefined> {
      return db
        .selectFrom('submissions')
        .selectAll()
        .where('job_id', '=', jobId)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    /** Every submission of a job, oldest first. */
    async submissions(jobId: string): Promise<SubmissionRow[]> {
      return db.selectFrom('submissions').selectAll().where('job_id', '=', jobId).orderBy('id').execute();
    },
  };
}
