// The ledger's migrations as a static, numbered list (no filesystem scanning), named `NNNN-what` like the
// validator's. A merged migration is never edited; changes come as a new numbered module.

import type { Migration } from 'kysely';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-assessment-recipe.js';

/** Every migration, in order. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-assessment-recipe': m0002,
};

/** Names that ledgers written by earlier builds recorded, mapped to today's names. */
export const LEGACY_MIGRATION_NAMES: Record<string, string> = { '001-initial': '0001-initial' };
