// Per-competition settings of the integrity rules (enabled, action, parameters) and the audit log of every
// change and re-score. A rule without a row runs with its defaults. Pure storage; integrity/ interprets them.

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { AuditLogTable, RuleSettingTable } from './schema.js';

/** A stored rule setting. */
export type RuleSettingRow = Selectable<RuleSettingTable>;
/** A stored audit entry. */
export type AuditRow = Selectable<AuditLogTable>;

/** Queries over rule settings and the audit log. */
export interface RulesRepo {
  settings(competitionId: string): Promise<RuleSettingRow[]>;
  /** Stores a setting and its audit entry in one transaction. */
  saveSetting(row: RuleSettingRow, audit: Omit<AuditRow, 'id'>): Promise<void>;
  audit(entry: Omit<AuditRow, 'id'>): Promise<void>;
  auditLog(competitionId: string, limit: number): Promise<AuditRow[]>;
}

/** Creates the rules repository. */
export function createRulesRepo(db: Db): RulesRepo {
  return {
    settings: (competitionId) =>
      db.selectFrom('rule_settings').selectAll().where('competition_id', '=', competitionId).execute(),
    saveSetting: (row, audit) =>
      db.transaction().execute(async (tx) => {
        await tx
          .insertInto('rule_settings')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['competition_id', 'rule_id']).doUpdateSet({
              enabled: row.enabled,
              action: row.action,
              params_json: row.params_json,
              updated_at: row.updated_at,
            }),
          )
          .execute();
        await tx.insertInto('audit_log').values(audit).execute();
      }),
    audit: async (entry) => {
      await db.insertInto('audit_log').values(entry).execute();
    },
    auditLog: (competitionId, limit) =>
      db
        .selectFrom('audit_log')
        .selectAll()
        .where('competition_id', '=', competitionId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
  };
}
