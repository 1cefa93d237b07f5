// Migration 0002: challenge nonces are kept in memory until answered, so `auth_nonces` holds only used
// ones, each with the hash of the signature that answered it (a replay is one indexed lookup instead of a
// signature check per old nonce). Unused rows written by older versions are dropped. Never edit once merged.

import type { Kysely } from 'kysely';

/** Adds `answer_sha256`, drops unanswered nonces and indexes sessions by miner for pruning. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('auth_nonces').where('used_at', 'is', null).execute();
  await db.schema.alterTable('auth_nonces').addColumn('answer_sha256', 'text').execute();
  await db.schema
    .createIndex('auth_nonces_by_answer')
    .on('auth_nonces')
    .columns(['miner_id', 'answer_sha256'])
    .execute();
  await db.schema
    .createIndex('sessions_by_miner')
    .on('sessions')
    .columns(['miner_id', 'created_at'])
    .execute();
}

/** Drops the column and the indexes again. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_by_miner').ifExists().execute();
  await db.schema.dropIndex('auth_nonces_by_answer').ifExists().execute();
  await db.schema.alterTable('auth_nonces').dropColumn('answer_sha256').execute();
}
