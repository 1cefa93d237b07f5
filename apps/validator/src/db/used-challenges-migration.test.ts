import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from './migrations.js';

describe('migration 0002-used-challenges', () => {
  it('drops unanswered nonces, keeps used ones and adds the answer hash; down restores the old shape', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the schema changes under the test
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
    await using _ = { [Symbol.asyncDispose]: () => db.destroy() };
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo('0001-initial')).error).toBeUndefined();
    const at = '2026-01-01T00:00:00.000Z';
    await db
      .insertInto('competitions')
      .values({
        id: 'c',
        name: 'c',
        max_miners: 1,
        max_miners_per_owner: 1,
        weight_test: 0.5,
        tau: 0.1,
        miss_factor: 0.5,
        created_at: at,
      })
      .execute();
    await db
      .insertInto('miners')
      .values({
        id: 'm',
        competition_id: 'c',
        public_key: 'k',
        owner: 'o',
        display_name: 'o',
        created_at: at,
      })
      .execute();
    await db
      .insertInto('auth_nonces')
      .values([
        { nonce: 'unused-1', miner_id: 'm', issued_at: at, used_at: null },
        { nonce: 'unused-2', miner_id: 'm', issued_at: at, used_at: null },
        { nonce: 'used', miner_id: 'm', issued_at: at, used_at: at },
      ])
      .execute();
    expect((await migrator.migrateTo('0002-used-challenges')).error).toBeUndefined();
    expect(await db.selectFrom('auth_nonces').selectAll().execute()).toEqual([
      { nonce: 'used', miner_id: 'm', issued_at: at, used_at: at, answer_sha256: null },
    ]);
    expect((await migrator.migrateTo('0001-initial')).error).toBeUndefined();
    expect(Object.keys((await db.selectFrom('auth_nonces').selectAll().executeTakeFirst()) ?? {})).toEqual([
      'nonce',
      'miner_id',
      'issued_at',
      'used_at',
    ]);
  });
});
