// Opens a SQLite file (or `:memory:`) for Kysely with the pragmas every app wants (WAL, foreign keys,
// NORMAL sync, a busy timeout) and applies a static, ordered list of migrations. Migration names follow
// one scheme, `NNNN-what` (four digits); names an older build used can be mapped onto the new ones.

import SqliteDatabase from 'better-sqlite3';
import { Kysely, type Migration, Migrator, SqliteDialect, sql } from 'kysely';

/** A migration name: four digits, a dash and a kebab-case description (`0002-auth-nonces`). */
const MIGRATION_NAME = /^\d{4}-[a-z0-9-]+$/;

/** Why opening a database failed on purpose. */
type SqliteErrorCode = 'bad_migration_name' | 'migration_failed';

/** A deliberate failure of openSqlite, with its cause. */
class SqliteError extends Error {
  /** Machine-readable reason. */
  readonly code: SqliteErrorCode;

  constructor(code: SqliteErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SqliteError';
    this.code = code;
  }
}

/**
 * Opens (creating if needed) the database at `path` (`:memory:` for tests) and applies every migration
 * (by `NNNN-name`, in name order). `renamed` maps names an older build recorded onto today's, renamed in
 * place first. Throws SqliteError (`migration_failed`, `bad_migration_name`).
 */
export async function openSqlite<DB>(
  path: string,
  migrations: Record<string, Migration>,
  renamed: Record<string, string> = {},
): Promise<Kysely<DB>> {
  for (const name of Object.keys(migrations)) {
    if (!MIGRATION_NAME.test(name)) {
      throw new SqliteError('bad_migration_name', `migration ${JSON.stringify(name)} is not named NNNN-what`);
    }
  }
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await renameLegacy(db, renamed);
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateToLatest();
    if (error) throw new SqliteError('migration_failed', 'database migration failed', { cause: error });
    return db;
  } catch (error) {
    await db.destroy();
    throw error instanceof SqliteError
      ? error
      : new SqliteError('migration_failed', 'database migration failed', { cause: error });
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the bookkeeping table is not part of any app schema
async function renameLegacy(db: Kysely<any>, renamed: Record<string, string>): Promise<void> {
  if (Object.keys(renamed).length === 0) return;
  const table = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db);
  if (table.rows.length === 0) return;
  for (const [from, to] of Object.entries(renamed)) {
    await sql`update kysely_migration set name = ${to} where name = ${from}`.execute(db);
  }
}
