// The ledger's offers table: every offer received (the first copy of a re-sent offer is kept) and the
// decision taken on it, with its reason. It records; the frame handler decides.

import type { JobOffer } from '@tuning-arena/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { LedgerDatabase, OffersTable } from './schema.js';

/** An offer row. */
export type OfferRow = Selectable<OffersTable>;

const now = () => new Date().toISOString();

/** Creates the offers repository over an open ledger database. */
export function createOffersLedger(db: Kysely<LedgerDatabase>) {
  return {
    /** Stores an offer the first time it arrives; a re-sent offer keeps the original row. */
    async recordOffer(offer: JobOffer): Promise<OfferRow> {
      await db
        .insertInto('offers')
        .values({
          job_id: offer.jobId,
          received_at: now(),
          task_kind: offer.taskKind,
          model_id: offer.model.id,
          model_family: offer.model.family,
          parameter_count: offer.model.parameterCount,
          approx_rows: offer.approxDatasetRows,
          time_limit_seconds: offer.timeLimitSeconds,
          offer_expires_at: offer.offerExpiresAt,
          decision: null,
          reason: null,
          decided_at: null,
          estimate: null,
          settings: null,
        })
        .onConflict((oc) => oc.column('job_id').doNothing())
        .execute();
      return db.selectFrom('offers').selectAll().where('job_id', '=', offer.jobId).executeTakeFirstOrThrow();
    },

    /** Stores the decision on an offer, with its reason. */
    async recordDecision(jobId: string, decision: 'accept' | 'reject', reason: string | null): Promise<void> {
      await db
        .updateTable('offers')
        .set({ decision, reason, decided_at: now() })
        .where('job_id', '=', jobId)
        .execute();
    },

    /** Stores what the miner weighed for an offer: the policy's estimate and its configured settings (JSON). */
    async recordAssessment(
      jobId: string,
      assessment: { estimate?: unknown; settings?: unknown },
    ): Promise<void> {
      await db
        .updateTable('offers')
        .set({
          estimate: assessment.estimate === undefined ? null : JSON.stringify(assessment.estimate),
          settings: assessment.settings === undefined ? null : JSON.stringify(assessment.settings),
        })
        .where('job_id', '=', jobId)
        .execute();
    },

    /** The offer row of a job, if one was received. */
    async getOffer(jobId: string): Promise<OfferRow | undefined> {
      return db.selectFrom('offers').selectAll().where('job_id', '=', jobId).executeTakeFirst();
    },
  };
}
