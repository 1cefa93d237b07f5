// Migration 0002: what the ledger needs to be a participant's record of models and strategies: the accept
// policy's estimate and the miner's configured hyperparameters beside each offer, and the trainer's recipe
// beside each submission (all JSON text, null where there was none).

import type { Kysely } from 'kysely';

/** Adds offers.estimate, offers.settings and submissions.recipe. */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not as typed now
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('offers').addColumn('estimate', 'text').execute();
  await db.schema.alterTable('offers').addColumn('settings', 'text').execute();
  await db.schema.alterTable('submissions').addColumn('recipe', 'text').execute();
}

/** Drops them again. */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not as typed now
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submissions').dropColumn('recipe').execute();
  await db.schema.alterTable('offers').dropColumn('settings').execute();
  await db.schema.alterTable('offers').dropColumn('estimate').execute();
}
