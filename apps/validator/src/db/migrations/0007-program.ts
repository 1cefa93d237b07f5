// Migration 0007: the competition window and its program. Competitions get `starts_at` (existing rows start
// when they were created) and an optional `ends_at`; `programs` holds each competition's phases, secret seed
// and status; jobs the program made carry their sequence number and phase, unique per competition, so a
// restart can never make the same program job twice. Never edit once merged; add a new migration instead.

import { type Kysely, sql } from 'kysely';

/** Adds the window columns, the programs table and the program columns of jobs. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('competitions').addColumn('starts_at', 'text').execute();
  await db.schema.alterTable('competitions').addColumn('ends_at', 'text').execute();
  await sql`update competitions set starts_at = created_at`.execute(db);
  await db.schema
    .createTable('programs')
    .addColumn('competition_id', 'text', (c) => c.primaryKey().references('competitions.id'))
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('end_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('jobs').addColumn('program_seq', 'integer').execute();
  await db.schema.alterTable('jobs').addColumn('program_phase', 'integer').execute();
  await db.schema
    .createIndex('jobs_program_seq')
    .on('jobs')
    .columns(['competition_id', 'program_seq'])
    .unique()
    .where(sql.ref('program_seq'), 'is not', null)
    .execute();
}

/** Drops what `up` added. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_program_seq').execute();
  await db.schema.alterTable('jobs').dropColumn('program_phase').execute();
  await db.schema.alterTable('jobs').dropColumn('program_seq').execute();
  await db.schema.dropTable('programs').execute();
  await db.schema.alterTable('competitions').dropColumn('ends_at').execute();
  await db.schema.alterTable('competitions').dropColumn('starts_at').execute();
}
