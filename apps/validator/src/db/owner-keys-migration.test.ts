import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';

describe('migration 0003-owner-keys', () => {
  it('backfills the normalised owner of miners registered before it and keeps their spelling', async () => {
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }),
    });
    await using _ = { [Symbol.asyncDispose]: () => db.destroy() };
    const migrator = new Migrator({ db, provider: migrationProvider });
    const names = Object.keys(await migrationProvider.getMigrations()).sort();
    const before = names[names.indexOf('0003-owner-keys') - 1];
    expect(before).toBeDefined();
    expect((await migrator.migrateTo(before!)).error).toBeUndefined();
    // biome-ignore lint/suspicious/noExplicitAny: the pre-0003 schema has no owner_key
    const old = db as unknown as Kysely<any>;
    await old
      .insertInto('competitions')
      .values({
        id: 'cmp_1',
        name: 'c',
        max_miners: 20,
        max_miners_per_owner: 5,
        weight_test: 0.5,
        tau: 0.1,
        miss_factor: 0.5,
        created_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    for (const [id, owner] of [
      ['mnr_1', ' ADA '],
      ['mnr_2', 'ａｄａ'],
      ['mnr_3', 'Bob'],
    ]) {
      await old
        .insertInto('miners')
        .values({
          id,
          competition_id: 'cmp_1',
          public_key: id,
          owner,
          display_name: owner,
          created_at: '2026-01-01T00:00:00.000Z',
        })
        .execute();
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const rows = await db.selectFrom('miners').select(['id', 'owner', 'owner_key']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'mnr_1', owner: ' ADA ', owner_key: 'ada' },
      { id: 'mnr_2', owner: 'ａｄａ', owner_key: 'ada' },
      { id: 'mnr_3', owner: 'Bob', owner_key: 'bob' },
    ]);
  });
});
