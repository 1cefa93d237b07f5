// The ledger's jobs table: the jobs this miner took on, with their status, deadline, work dir and detail.

import type { Kysely, Selectable } from 'kysely';
import type { JobLedgerStatus, JobsTable, LedgerDatabase } from './schema.js';

/** A job row. */
export type JobRow = Selectable<JobsTable>;

const now = () => new Date().toISOString();

/** Creates the jobs repository over an open ledger database. */
export function createJobsLedger(db: Kysely<LedgerDatabase>) {
  return {
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
  };
}
