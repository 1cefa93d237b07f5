// The ledger's migrations as a static, numbered list (no filesystem scanning), applied with Kysely's
// Migrator. A merged migration is never edited; changes come as a new numbered module.

import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { MinerError } from '../errors.js';
import * as m001 from './migrations/001-initial.js';

/** Every migration, in order. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the database schema up to the latest migration; throws MinerError on failure. */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not as typed now
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw new MinerError('invalid_config', 'ledger migration failed', error);
}
