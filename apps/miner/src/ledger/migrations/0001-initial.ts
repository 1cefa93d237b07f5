// Migration 001: the ledger's tables (offers, jobs, submissions, results, notes).

import type { Kysely } from 'kysely';

/** Creates the ledger tables. */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not as typed now
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('offers')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('task_kind', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('model_family', 'text', (c) => c.notNull())
    .addColumn('parameter_count', 'integer', (c) => c.notNull())
    .addColumn('approx_rows', 'integer', (c) => c.notNull())
    .addColumn('time_limit_seconds', 'integer', (c) => c.notNull())
    .addColumn('offer_expires_at', 'text', (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('reason', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createTable('jobs')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text')
    .addColumn('work_dir', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('submissions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.job_id'))
    .addColumn('artifact_sha256', 'text', (c) => c.notNull())
    .addColumn('artifact_kind', 'text', (c) => c.notNull())
    .addColumn('artifact_bytes', 'integer', (c) => c.notNull())
    .addColumn('artifact_path', 'text', (c) => c.notNull())
    .addColumn('strategy_note', 'text', (c) => c.notNull())
    .addColumn('trainer', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('commit_status', 'text', (c) => c.notNull())
    .addColumn('committed_at', 'text')
    .addColumn('refusal_code', 'text')
    .addColumn('upload_status', 'text', (c) => c.notNull())
    .addColumn('upload_error', 'text')
    .addColumn('uploaded_at', 'text')
    .execute();
  await db.schema.createIndex('submissions_job').on('submissions').column('job_id').execute();
  await db.schema
    .createTable('results')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('loss_test', 'real')
    .addColumn('loss_synthetic', 'real')
    .addColumn('loss_combined', 'real')
    .addColumn('quality', 'real')
    .addColumn('integrity_flags', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('notes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('job_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notes_job').on('notes').column('job_id').execute();
}

/** Drops the ledger tables. */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not as typed now
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notes', 'results', 'submissions', 'jobs', 'offers']) {
    await db.schema.dropTable(table).execute();
  }
}
