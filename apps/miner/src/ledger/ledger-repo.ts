// The ledger repository: every query against the miner's SQLite ledger (offers and decisions, jobs,
// submissions with their ack and upload status, results, notes). It records facts; it decides nothing.

import type { JobOffer, JobResult } from '@tuning-arena/protocol';
import type { Kysely, Selectable } from 'kysely';
import type {
  JobLedgerStatus,
  JobsTable,
  LedgerDatabase,
  NotesTable,
  OffersTable,
  ResultsTable,
  SubmissionsTable,
} from './schema.js';

/** An offer row. */
export type OfferRow = Selectable<OffersTable>;
/** A job row. */
export type JobRow = Selectable<JobsTable>;
/** A submission row. */
export type SubmissionRow = Selectable<SubmissionsTable>;
/** A result row. */
export type ResultRow = Selectable<ResultsTable>;
/** A note row. */
export type NoteRow = Selectable<NotesTable>;

/** Everything the ledger knows about one job, for `history`. */
export interface LedgerEntry {
  jobId: string;
  offer: OfferRow | null;
  job: JobRow | null;
  submissions: SubmissionRow[];
  result: ResultRow | null;
  notes: NoteRow[];
}

/** A new submission to record before its commit is sent. */
export interface NewSubmission {
  jobId: string;
  artifactSha256: string;
  artifactKind: 'lora' | 'full';
  artifactBytes: number;
  artifactPath: string;
  strategyNote: string;
  trainer: string;
}

/** The ledger's operations. */
export type LedgerRepo = ReturnType<typeof createLedgerRepo>;

const now = () => new Date().toISOString();

/** Creates the ledger repository over an open database. */
export function createLedgerRepo(db: Kysely<LedgerDatabase>) {
  return {
    /** Stores an offer the first time it arrives; a re-sent offer keeps the original row. */
    async recordOffer(offer: JobOffer): Promise<OfferRow> {
      await db
        .insertInto('offers')
        .values({
          job_id: offer.jobId,
          received_at: now(),
          task_kind: offer.taskKind,
          model_id: offer.model.id,
          model_family: offer.model.family,
          parameter_count: offer.model.parameterCount,
          approx_rows: offer.approxDatasetRows,
          time_limit_seconds: offer.timeLimitSeconds,
          offer_expires_at: offer.offerExpiresAt,
          decision: null,
          reason: null,
          decided_at: null,
        })
        .onConflict((oc) => oc.column('job_id').doNothing())
        .execute();
      return db.selectFrom('offers').selectAll().where('job_id', '=', offer.jobId).executeTakeFirstOrThrow();
    },

    /** Stores the decision on an offer, with its reason. */
    async recordDecision(jobId: string, decision: 'accept' | 'reject', reason: string | null): Promise<void> {
      await db
        .updateTable('offers')
        .set({ decision, reason, decided_at: now() })
        .where('job_id', '=', jobId)
        .execute();
    },

    /** The offer row of a job, if one was received. */
    async getOffer(jobId: string): Promise<OfferRow | undefined> {
      return db.selectFrom('offers').selectAll().where('job_id', '=', jobId).executeTakeFirst();
    },

    /** Creates or updates a job row with a status (and optionally its deadline, work dir and detail). */
    async upsertJob(
      jobId: string,
      status: JobLedgerStatus,
      fields: { deadline?: string; workDir?: string; detail?: string | null } = {},
    ): Promise<void> {
      const at = now();
      const set = {
        status,
        updated_at: at,
        ...(fields.deadline !== undefined && { deadline: fields.deadline }),
        ...(fields.workDir !== undefined && { work_dir: fields.workDir }),
        ...(fields.detail !== undefined && { detail: fields.detail }),
      };
      await db
        .insertInto('jobs')
        .values({
          job_id: jobId,
          status,
          deadline: fields.deadline ?? null,
          work_dir: fields.workDir ?? null,
          detail: fields.detail ?? null,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.column('job_id').doUpdateSet(set))
        .execute();
    },

    /** The job row, if this miner took the job on. */
    async getJob(jobId: string): Promise<JobRow | undefined> {
      return db.selectFrom('jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
    },

    /** Jobs in any of the given statuses. */
    async listJobs(statuses: JobLedgerStatus[]): Promise<JobRow[]> {
      if (statuses.length === 0) return [];
      return db
        .selectFrom('jobs')
        .selectAll()
        .where('status', 'in', statuses)
        .orderBy('created_at')
        .execute();
    },

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

    /** Stores (or replaces) the result the validator announced for a job. */
    async recordResult(result: JobResult): Promise<void> {
      const values = {
        status: result.status,
        loss_test: result.losses.test,
        loss_synthetic: result.losses.synthetic,
        loss_combined: result.losses.combined,
        quality: result.quality,
        integrity_flags: JSON.stringify(result.integrityFlags),
        received_at: now(),
      };
      await db
        .insertInto('results')
        .values({ job_id: result.jobId, ...values })
        .onConflict((oc) => oc.column('job_id').doUpdateSet(values))
        .execute();
    },

    /** Appends a free-text note, about a job or about the miner as a whole (`jobId` null). */
    async addNote(jobId: string | null, text: string): Promise<void> {
      await db.insertInto('notes').values({ job_id: jobId, at: now(), text }).execute();
    },

    /** Every job the ledger knows of, oldest first, with offer, submissions, result and notes. */
    async history(): Promise<LedgerEntry[]> {
      const [offers, jobs, submissions, results, notes] = await Promise.all([
        db.selectFrom('offers').selectAll().orderBy('received_at').execute(),
        db.selectFrom('jobs').selectAll().orderBy('created_at').execute(),
        db.selectFrom('submissions').selectAll().orderBy('id').execute(),
        db.selectFrom('results').selectAll().execute(),
        db.selectFrom('notes').selectAll().orderBy('id').execute(),
      ]);
      const ids = [...new Set([...offers.map((o) => o.job_id), ...jobs.map((j) => j.job_id)])];
      return ids.map((jobId) => ({
        jobId,
        offer: offers.find((o) => o.job_id === jobId) ?? null,
        job: jobs.find((j) => j.job_id === jobId) ?? null,
        submissions: submissions.filter((s) => s.job_id === jobId),
        result: results.find((r) => r.job_id === jobId) ?? null,
        notes: notes.filter((n) => n.job_id === jobId),
      }));
    },
  };
}
