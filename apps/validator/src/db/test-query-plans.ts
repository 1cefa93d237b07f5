// Test-only helper (excluded from the build): runs repository calls over a database that records each query,
// then gives SQLite's `explain query plan` lines for them, so tests can check which indexes answer them.
// It asserts nothing.

import { CompiledQuery, type KyselyPlugin } from 'kysely';
import type { Db } from './open-db.js';

/** The query plan lines of every query `run` sent through the recording database (transactions skipped). */
export async function queryPlans(raw: Db, run: (db: Db) => Promise<void>): Promise<string[]> {
  const seen: CompiledQuery[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (args) => {
      seen.push(raw.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await run(raw.withPlugin(capture));
  const plans: string[] = [];
  for (const query of seen) {
    if (/^\s*(begin|commit|rollback)/i.test(query.sql)) continue;
    const rows = await raw.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    );
    plans.push(...rows.rows.map((row) => row.detail));
  }
  return plans;
}
