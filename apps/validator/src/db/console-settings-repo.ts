// Queries over the console's per-competition settings (the public leaderboard switch); a change and its
// audit entry are stored in one transaction.

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { AuditRow } from './rules-repo.js';
import type { ConsoleSettingTable } from './schema.js';

/** A stored console setting row. */
export type ConsoleSettingRow = Selectable<ConsoleSettingTable>;

/** The console settings repository. */
export interface ConsoleSettingsRepo {
  /** Whether the competition's public leaderboard is on (false without a row). */
  publicLeaderboard(competitionId: string): Promise<boolean>;
  /** Turns it on or off, with its audit entry. */
  setPublicLeaderboard(competitionId: string, on: boolean, audit: Omit<AuditRow, 'id'>): Promise<void>;
}

/** Creates the repository. */
export function createConsoleSettingsRepo(db: Db): ConsoleSettingsRepo {
  return {
    publicLeaderboard: async (competitionId) => {
      const row = await db
        .selectFrom('console_settings')
        .select('public_leaderboard')
        .where('competition_id', '=', competitionId)
        .executeTakeFirst();
      return row?.public_leaderboard === 1;
    },
    setPublicLeaderboard: (competitionId, on, audit) =>
      db.transaction().execute(async (tx) => {
        const value = { public_leaderboard: on ? 1 : 0, updated_at: audit.at };
        await tx
          .insertInto('console_settings')
          .values({ competition_id: competitionId, ...value })
          .onConflict((oc) => oc.column('competition_id').doUpdateSet(value))
          .execute();
        await tx.insertInto('audit_log').values(audit).execute();
      }),
  };
}
