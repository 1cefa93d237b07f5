// Migration 0008: a commit may carry the trainer's recipe (`job.submit {recipe}`, bounded JSON text of an
// object); it is stored as sent, null where there was none. Never edit once merged; add a new migration.

import type { Kysely } from 'kysely';

/** Adds commits.recipe (JSON text or null). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('commits').addColumn('recipe', 'text').execute();
}

/** Drops commits.recipe. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('commits').dropColumn('recipe').execute();
}
