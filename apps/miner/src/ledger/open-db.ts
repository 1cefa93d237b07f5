// Opens the ledger SQLite file with WAL and foreign keys on, and migrates it to the latest schema.
// It owns the connection settings only; queries live in `ledger-repo.ts`.

import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrations.js';
import type { LedgerDatabase } from './schema.js';

/** Opens (creating if needed) and migrates the ledger database at `path`. */
export async function openDb(path: string): Promise<Kysely<LedgerDatabase>> {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<LedgerDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
