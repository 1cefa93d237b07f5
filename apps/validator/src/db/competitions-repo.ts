// Competition rows: insert, fetch and list. Limits and scoring settings are stored as given; defaults are
// applied by the caller.

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { CompetitionTable } from './schema.js';

/** A stored competition row. */
export type CompetitionRow = Selectable<CompetitionTable>;

/** Queries over the competitions table. */
export interface CompetitionsRepo {
  insert(row: CompetitionRow): Promise<void>;
  get(id: string): Promise<CompetitionRow | undefined>;
  list(): Promise<CompetitionRow[]>;
}

/** Creates the competitions repository. */
export function createCompetitionsRepo(db: Db): CompetitionsRepo {
  return {
    insert: async (row) => {
      await db.insertInto('competitions').values(row).execute();
    },
    get: (id) => db.selectFrom('competitions').selectAll().where('id', '=', id).executeTakeFirst(),
    list: () => db.selectFrom('competitions').selectAll().orderBy('created_at').orderBy('id').execute(),
  };
}
