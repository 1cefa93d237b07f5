// Offer rows: one per (job, miner), with the answer, its reason and time, and the latest progress report.
// Also the per-miner load the scheduler needs (pending offers plus accepted offers of live jobs).

import type { OfferStatus } from '@tuning-arena/protocol';
import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { OfferTable } from './schema.js';

/** A stored offer row. */
export type OfferRow = Selectable<OfferTable>;

/** How busy a miner is: offers awaiting its answer and accepted jobs not yet ended. */
export interface MinerLoad {
  pending: number;
  active: number;
}

/** Queries over the offers table. */
export interface OffersRepo {
  insert(row: OfferRow): Promise<void>;
  get(jobId: string, minerId: string): Promise<OfferRow | undefined>;
  listByJob(jobId: string): Promise<OfferRow[]>;
  listByMiner(minerId: string, statuses: OfferStatus[]): Promise<OfferRow[]>;
  /** Every offer (any status) of a miner on jobs still offering or running, oldest first. */
  listLiveByMiner(minerId: string): Promise<OfferRow[]>;
  listByStatus(status: OfferStatus): Promise<OfferRow[]>;
  /** Sets the status of an offer that is still in `from`; false when it was not. */
  decide(
    jobId: string,
    minerId: string,
    from: OfferStatus,
    to: OfferStatus,
    at: string,
    reason: string | null,
  ): Promise<boolean>;
  /** Moves every pending offer of a job to `cancelled`; returns the miners concerned. */
  cancelPending(jobId: string, at: string, reason: string): Promise<string[]>;
  /** Per miner (of one competition, or of all): pending offers and accepted offers of live jobs. */
  loadByMiner(competitionId?: string): Promise<Map<string, MinerLoad>>;
  saveProgress(jobId: string, minerId: string, step: number, trainLoss: number, at: string): Promise<void>;
}

/** Creates the offers repository. */
export function createOffersRepo(db: Db): OffersRepo {
  return {
    insert: async (row) => {
      await db.insertInto('offers').values(row).execute();
    },
    get: (jobId, minerId) =>
      db
        .selectFrom('offers')
        .selectAll()
        .where('job_id', '=', jobId)
        .where('miner_id', '=', minerId)
        .executeTakeFirst(),
    listByJob: (jobId) =>
      db.selectFrom('offers').selectAll().where('job_id', '=', jobId).orderBy('offered_at').execute(),
    listByMiner: (minerId, statuses) =>
      db
        .selectFrom('offers')
        .selectAll()
        .where('miner_id', '=', minerId)
        .where('status', 'in', statuses)
        .orderBy('offered_at')
        .execute(),
    listLiveByMiner: (minerId) =>
      db
        .selectFrom('offers')
        .innerJoin('jobs', 'jobs.id', 'offers.job_id')
        .selectAll('offers')
        .where('offers.miner_id', '=', minerId)
        .where('jobs.status', 'in', ['offering', 'running'])
        .orderBy('offers.offered_at')
        .execute(),
    listByStatus: (status) => db.selectFrom('offers').selectAll().where('status', '=', status).execute(),
    decide: async (jobId, minerId, from, to, at, reason) => {
      const result = await db
        .updateTable('offers')
        .set({ status: to, decided_at: at, reason })
        .where('job_id', '=', jobId)
        .where('miner_id', '=', minerId)
        .where('status', '=', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    cancelPending: async (jobId, at, reason) => {
      const rows = await db
        .updateTable('offers')
        .set({ status: 'cancelled', decided_at: at, reason })
        .where('job_id', '=', jobId)
        .where('status', '=', 'pending')
        .returning('miner_id')
        .execute();
      return rows.map((row) => row.miner_id);
    },
    loadByMiner: async (competitionId) => {
      const rows = await db
        .selectFrom('offers')
        .innerJoin('jobs', 'jobs.id', 'offers.job_id')
        .select((eb) => [
          'offers.miner_id as minerId',
          eb.fn
            .sum<number>(eb.case().when('offers.status', '=', 'pending').then(1).else(0).end())
            .as('pending'),
          eb.fn
            .sum<number>(eb.case().when('offers.status', '=', 'accepted').then(1).else(0).end())
            .as('active'),
        ])
        .$if(competitionId !== undefined, (qb) => qb.where('jobs.competition_id', '=', competitionId ?? ''))
        .where((eb) =>
          eb.or([
            eb('offers.status', '=', 'pending'),
            eb.and([eb('offers.status', '=', 'accepted'), eb('jobs.status', 'in', ['offering', 'running'])]),
          ]),
        )
        .groupBy('offers.miner_id')
        .execute();
      return new Map(
        rows.map((row) => [
          row.minerId,
          { pending: Number(row.pending ?? 0), active: Number(row.active ?? 0) },
        ]),
      );
    },
    saveProgress: async (jobId, minerId, step, trainLoss, at) => {
      await db
        .updateTable('offers')
        .set({ progress_step: step, progress_train_loss: trainLoss, progress_at: at })
        .where('job_id', '=', jobId)
        .where('miner_id', '=', minerId)
        .execute();
    },
  };
}
