// Migration 0003: miners get `owner_key`, the normalised owner (owner-key.ts) that the owner limit counts,
// backfilled for existing rows and indexed per competition. `owner` keeps the spelling as registered.
// Never edit once merged; add a new numbered migration instead.

import type { Kysely } from 'kysely';
import { ownerKey } from '../../owner-key.js';

/** Adds, backfills and indexes `miners.owner_key`. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('miners')
    .addColumn('owner_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  const rows: { id: string; owner: string }[] = await db
    .selectFrom('miners')
    .select(['id', 'owner'])
    .execute();
  for (const row of rows) {
    await db
      .updateTable('miners')
      .set({ owner_key: ownerKey(row.owner) })
      .where('id', '=', row.id)
      .execute();
  }
  await db.schema
    .createIndex('miners_by_owner_key')
    .on('miners')
    .columns(['competition_id', 'owner_key'])
    .execute();
}

/** Drops the index and the column. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('miners_by_owner_key').ifExists().execute();
  await db.schema.alterTable('miners').dropColumn('owner_key').execute();
}
