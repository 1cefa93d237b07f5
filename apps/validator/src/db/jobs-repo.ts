// Job rows and their lifecycle columns (status, start, deadline, end, evaluation hand-off). Callers decide
// the transitions; this module stores them, a start or a cancellation together with the pending offers it
// withdraws in one transaction.

import type { JobStatus } from '@tuning-arena/protocol';
import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { JobTable } from './schema.js';

/** A stored job row. */
export type JobRow = Selectable<JobTable>;

/** Queries over the jobs table. */
export interface JobsRepo {
  insert(row: JobRow): Promise<void>;
  get(id: string): Promise<JobRow | undefined>;
  listByCompetition(competitionId: string): Promise<JobRow[]>;
  listByStatus(statuses: JobStatus[]): Promise<JobRow[]>;
  markRunning(id: string, startedAt: string, deadline: string): Promise<void>;
  /** Brings a running job's deadline forward (every miner is done early); false if it was not running. */
  moveDeadline(id: string, deadline: string): Promise<boolean>;
  markEnded(id: string, status: JobStatus, endedAt: string, reason: string): Promise<void>;
  markEvaluationRequested(id: string, at: string): Promise<void>;
  /** Marks a job running and cancels its pending offers, in one transaction; returns the miners withdrawn. */
  start(id: string, startedAt: string, deadline: string, withdrawReason: string): Promise<string[]>;
  /** Ends a job unjudged (cancelled, or closed unstarted) and cancels its pending offers, in one transaction; returns the miners withdrawn. */
  withdraw(id: string, status: 'cancelled' | 'closed', at: string, reason: string): Promise<string[]>;
  /** Offering jobs of a competition with fewer pending plus accepted offers than wanted, oldest first. */
  listNeedingMiners(competitionId: string): Promise<{ job: JobRow; needed: number }[]>;
}

/** Cancels the pending offers of a job inside `tx`; returns the miners concerned. */
async function withdrawPending(tx: Db, jobId: string, at: string, reason: string): Promise<string[]> {
  const rows = await tx
    .updateTable('offers')
    .set({ status: 'cancelled', decided_at: at, reason })
    .where('job_id', '=', jobId)
    .where('status', '=', 'pending')
    .returning('miner_id')
    .execute();
  return rows.map((row) => row.miner_id);
}

/** Creates the jobs repository. */
export function createJobsRepo(db: Db): JobsRepo {
  return {
    insert: async (row) => {
      await db.insertInto('jobs').values(row).execute();
    },
    get: (id) => db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst(),
    listByCompetition: (competitionId) =>
      db
        .selectFrom('jobs')
        .selectAll()
        .where('competition_id', '=', competitionId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    listByStatus: (statuses) =>
      db.selectFrom('jobs').selectAll().where('status', 'in', statuses).orderBy('created_at').execute(),
    moveDeadline: async (id, deadline) => {
      const result = await db
        .updateTable('jobs')
        .set({ deadline })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    markRunning: async (id, startedAt, deadline) => {
      await db
        .updateTable('jobs')
        .set({ status: 'running', started_at: startedAt, deadline })
        .where('id', '=', id)
        .execute();
    },
    markEnded: async (id, status, endedAt, reason) => {
      await db
        .updateTable('jobs')
        .set({ status, ended_at: endedAt, end_reason: reason })
        .where('id', '=', id)
        .execute();
    },
    markEvaluationRequested: async (id, at) => {
      await db.updateTable('jobs').set({ evaluation_requested_at: at }).where('id', '=', id).execute();
    },
    start: (id, startedAt, deadline, withdrawReason) =>
      db.transaction().execute(async (tx) => {
        await tx
          .updateTable('jobs')
          .set({ status: 'running', started_at: startedAt, deadline })
          .where('id', '=', id)
          .execute();
        return withdrawPending(tx, id, startedAt, withdrawReason);
      }),
    withdraw: (id, status, at, reason) =>
      db.transaction().execute(async (tx) => {
        await tx
          .updateTable('jobs')
          .set({ status, ended_at: at, end_reason: reason })
          .where('id', '=', id)
          .execute();
        return withdrawPending(tx, id, at, reason);
      }),
    listNeedingMiners: async (competitionId) => {
      const rows = await db
        .selectFrom('jobs')
        .selectAll('jobs')
        .select((eb) =>
          eb
            .selectFrom('offers')
            .select((o) => o.fn.countAll<number>().as('n'))
            .whereRef('offers.job_id', '=', 'jobs.id')
            .where('offers.status', 'in', ['pending', 'accepted'])
            .as('taken'),
        )
        .where('jobs.competition_id', '=', competitionId)
        .where('jobs.status', '=', 'offering')
        .orderBy('jobs.created_at')
        .orderBy('jobs.id')
        .execute();
      return rows.flatMap(({ taken, ...job }) => {
        const needed = job.miners_wanted - Number(taken ?? 0);
        return needed > 0 ? [{ job, needed }] : [];
      });
    },
  };
}
