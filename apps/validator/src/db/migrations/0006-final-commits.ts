// Migration 0006: a commit may be marked final (`job.submit {final: true}`); when every accepted miner's
// latest commit is final the job closes early. Never edit once merged; add a new numbered migration instead.

import type { Kysely } from 'kysely';

/** Adds commits.final (0 or 1). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('commits')
    .addColumn('final', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

/** Drops commits.final. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('commits').dropColumn('final').execute();
}
