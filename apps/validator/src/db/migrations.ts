// The static, ordered list of database migrations (no filesystem scanning, so bundling and builds are safe).

import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-used-challenges.js';
import * as m0003 from './migrations/0003-owner-keys.js';
import * as m0004 from './migrations/0004-hot-path-indexes.js';
import * as m0005 from './migrations/0005-judge.js';
import * as m0006 from './migrations/0006-final-commits.js';
import * as m0007 from './migrations/0007-program.js';
import * as m0008 from './migrations/0008-recipes.js';
import * as m0009 from './migrations/0009-console.js';

/** Every migration by its sortable name. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-used-challenges': m0002,
  '0003-owner-keys': m0003,
  '0004-hot-path-indexes': m0004,
  '0005-judge': m0005,
  '0006-final-commits': m0006,
  '0007-program': m0007,
  '0008-recipes': m0008,
  '0009-console': m0009,
};

/** A Kysely migration provider over the static list. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
