// Migration 0009: the console's per-competition settings. `console_settings` holds whether a competition's
// read-only public leaderboard is on (off unless the operator turns it on). Never edit once merged; add a
// new migration instead.

import type { Kysely } from 'kysely';

/** Creates `console_settings`. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('console_settings')
    .addColumn('competition_id', 'text', (c) => c.primaryKey().references('competitions.id'))
    .addColumn('public_leaderboard', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drops `console_settings`. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('console_settings').execute();
}
