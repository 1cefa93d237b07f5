// Opens the ledger SQLite file through the shared openSqlite (WAL, foreign keys, the static migration list
// of migrations.ts). It owns no query; those live in `ledger-repo.ts`.

import { openSqlite } from '@tuning-arena/sqlite';
import type { Kysely } from 'kysely';
import { MinerError } from '../errors.js';
import { LEGACY_MIGRATION_NAMES, migrations } from './migrations.js';
import type { LedgerDatabase } from './schema.js';

/** Opens (creating if needed) and migrates the ledger database at `path`; throws MinerError on failure. */
export async function openDb(path: string): Promise<Kysely<LedgerDatabase>> {
  try {
    return await openSqlite<LedgerDatabase>(path, migrations, LEGACY_MIGRATION_NAMES);
  } catch (cause) {
    throw new MinerError('invalid_config', 'ledger migration failed', cause);
  }
}
