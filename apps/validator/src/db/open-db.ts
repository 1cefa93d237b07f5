// Opens the validator's SQLite database through the shared openSqlite (WAL, foreign keys, the static
// migration list of migrations.ts). It does not know any table beyond the migration list.

import { openSqlite } from '@tuning-arena/sqlite';
import type { Kysely } from 'kysely';
import { ValidatorError } from '../errors.js';
import { migrations } from './migrations.js';
import type { Database } from './schema.js';

/** The typed database handle used by the repositories. */
export type Db = Kysely<Database>;

/** Opens (creating if needed) the database at `path` (`:memory:` for tests) and applies every migration. */
export async function openDb(path: string): Promise<Db> {
  try {
    return await openSqlite<Database>(path, migrations);
  } catch (cause) {
    throw new ValidatorError('internal_error', 'database migration failed', { status: 500, cause });
  }
}
