// Competition rows: insert, fetch and list. Limits and scoring settings are stored as given; defaults are
// applied by the caller.

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { ProgramRow } from './programs-repo.js';
import type { CompetitionTable } from './schema.js';

/** A stored competition row. */
export type CompetitionRow = Selectable<CompetitionTable>;

/** Queries over the competitions table. */
export interface CompetitionsRepo {
  /** Inserts a competition, and its program when given, in one transaction. */
  insert(row: CompetitionRow, program?: ProgramRow): Promise<void>;
  get(id: string): Promise<CompetitionRow | undefined>;
  list(): Promise<CompetitionRow[]>;
}

/** Creates the competitions repository. */
export function createCompetitionsRepo(db: Db): CompetitionsRepo {
  return {
    insert: async (row, program) => {
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('competitions').values(row).execute();
        if (program) await tx.insertInto('programs').values(program).execute();
      });
    },
    get: (id) => db.selectFrom('competitions').selectAll().where('id', '=', id).executeTakeFirst(),
    list: () => db.selectFrom('competitions').selectAll().orderBy('created_at').orderBy('id').execute(),
  };
}
