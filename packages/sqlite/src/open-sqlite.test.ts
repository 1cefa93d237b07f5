import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, type Migration, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSqlite } from './open-sqlite.js';

const table = (name: string): Migration => ({
  // biome-ignore lint/suspicious/noExplicitAny: test migrations are untyped like real ones
  up: (db: Kysely<any>) => db.schema.createTable(name).addColumn('id', 'integer').execute(),
});

describe('openSqlite', () => {
  it('turns on WAL and foreign keys and applies migrations once, in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arena-sqlite-'));
    try {
      const path = join(dir, 'x.sqlite');
      const migrations = { '0001-a': table('a'), '0002-b': table('b') };
      const db = await openSqlite(path, migrations);
      expect(
        (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows[0]?.journal_mode,
      ).toBe('wal');
      expect(
        (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys,
      ).toBe(1);
      await db.destroy();
      const again = await openSqlite(path, migrations);
      const names = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        again,
      );
      expect(names.rows.map((r) => r.name)).toEqual(['0001-a', '0002-b']);
      await again.destroy();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('maps names an older build recorded onto the new scheme instead of failing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arena-sqlite-'));
    try {
      const path = join(dir, 'x.sqlite');
      await (await openSqlite(path, { '0001-a': table('a') }, {})).destroy();
      const legacy = await openSqlite(path, { '0001-a': table('a') });
      await sql`update kysely_migration set name = '001-a'`.execute(legacy);
      await legacy.destroy();
      await expect(openSqlite(path, { '0001-a': table('a') })).rejects.toMatchObject({
        code: 'migration_failed',
      });
      const renamed = await openSqlite(
        path,
        { '0001-a': table('a'), '0002-b': table('b') },
        { '001-a': '0001-a' },
      );
      await renamed.destroy();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses migration names outside the NNNN-name scheme', async () => {
    await expect(openSqlite(':memory:', { '01-a': table('a') })).rejects.toMatchObject({
      code: 'bad_migration_name',
    });
  });
});
