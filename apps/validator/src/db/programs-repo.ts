// Program rows (one per competition): the phases as JSON, the secret seed, the status and why it ended.
// The spec is stored as the operator's validated document and decoded again on read.

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { ProgramTable } from './schema.js';

/** A stored program row. */
export type ProgramRow = Selectable<ProgramTable>;

/** Queries over the programs table. */
export interface ProgramsRepo {
  get(competitionId: string): Promise<ProgramRow | undefined>;
  /** Statuses of every program, by competition (for the competition list). */
  statuses(): Promise<Map<string, ProgramRow['status']>>;
  listByStatus(statuses: ProgramRow['status'][]): Promise<ProgramRow[]>;
  /** Inserts a program, or replaces the spec of one that has not ended (keeping its seed); false if ended. */
  put(row: ProgramRow): Promise<boolean>;
  /** Moves a program from one of `from` to `to`; false when it was in none of them. */
  setStatus(
    competitionId: string,
    from: ProgramRow['status'][],
    to: ProgramRow['status'],
    at: string,
    endReason?: string,
  ): Promise<boolean>;
}

/** Creates the programs repository. */
export function createProgramsRepo(db: Db): ProgramsRepo {
  return {
    get: (competitionId) =>
      db.selectFrom('programs').selectAll().where('competition_id', '=', competitionId).executeTakeFirst(),
    statuses: async () => {
      const rows = await db.selectFrom('programs').select(['competition_id', 'status']).execute();
      return new Map(rows.map((row) => [row.competition_id, row.status]));
    },
    listByStatus: (statuses) =>
      db.selectFrom('programs').selectAll().where('status', 'in', statuses).orderBy('created_at').execute(),
    put: async (row) => {
      const result = await db
        .insertInto('programs')
        .values(row)
        .onConflict((oc) =>
          oc
            .column('competition_id')
            .doUpdateSet({ spec: row.spec, updated_at: row.updated_at })
            .where('programs.status', '!=', 'ended'),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    setStatus: async (competitionId, from, to, at, endReason) => {
      const result = await db
        .updateTable('programs')
        .set({ status: to, updated_at: at, ...(endReason === undefined ? {} : { end_reason: endReason }) })
        .where('competition_id', '=', competitionId)
        .where('status', 'in', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
