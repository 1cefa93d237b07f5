// The ledger's results table: the result the validator announced for each job (losses, quality, flags).

import type { JobResult } from '@tuning-arena/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { LedgerDatabase, ResultsTable } from './schema.js';

/** A result row. */
export type ResultRow = Selectable<ResultsTable>;

const now = () => new Date().toISOString();

/** Creates the results repository over an open ledger database. */
export function createResultsLedger(db: Kysely<LedgerDatabase>) {
  return {
    /** Stores (or replaces) the result the validator announced for a job. */
    async recordResult(result: JobResult): Promise<void> {
      const values = {
        status: result.status,
        loss_test: result.losses.test,
        loss_synthetic: result.losses.synthetic,
        loss_combined: result.losses.combined,
        quality: result.quality,
        integrity_flags: JSON.stringify(result.integrityFlags),
        received_at: now(),
      };
      await db
        .insertInto('results')
        .values({ job_id: result.jobId, ...values })
        .onConflict((oc) => oc.column('job_id').doUpdateSet(values))
        .execute();
    },
  };
}
