// Migration 0004: indexes for the scheduler's hot paths: offering jobs of one competition (a miner's
// authentication), a job's offers by status (starts, cancellations, counts) and offers by status (restore).
// Never edit once merged; add a new numbered migration instead.

import type { Kysely } from 'kysely';

const INDEXES = [
  { name: 'jobs_by_competition_status', table: 'jobs', columns: ['competition_id', 'status', 'created_at'] },
  { name: 'offers_by_job_status', table: 'offers', columns: ['job_id', 'status'] },
  { name: 'offers_by_status', table: 'offers', columns: ['status'] },
] as const;

/** Creates the hot-path indexes. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function up(db: Kysely<any>): Promise<void> {
  for (const index of INDEXES) {
    await db.schema
      .createIndex(index.name)
      .ifNotExists()
      .on(index.table)
      .columns([...index.columns])
      .execute();
  }
}

/** Drops the hot-path indexes. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of INDEXES) await db.schema.dropIndex(index.name).ifExists().execute();
}
