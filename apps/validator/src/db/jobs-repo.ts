// Job rows and their lifecycle columns (status, start, deadline, end, evaluation hand-off). Callers decide
// the transitions; this module stores them.

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
  markEnded(id: string, status: JobStatus, endedAt: string, reason: string): Promise<void>;
  markEvaluationRequested(id: string, at: string): Promise<void>;
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
  };
}
