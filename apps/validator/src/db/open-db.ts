// Opens the validator's SQLite database through Kysely with WAL and foreign keys on, and migrates it to the
// latest schema. It does not know any table beyond the migration list.

import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { ValidatorError } from '../errors.js';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';

/** The typed database handle used by the repositories. */
export type Db = Kysely<Database>;

/** Opens (creating if needed) the database at `path` (`:memory:` for tests) and applies every migration. */
export async function openDb(path: string): Promise<Db> {
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw new ValidatorError('internal_error', 'database migration failed', { status: 500, cause: error });
  }
  return db;
}
