// Scores of accepted miners per job: replaced as a whole for a job on every (re-)score, read per job for its
// results and per competition for the leaderboard. Pure storage; scoring/ computes them.

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { ScoreTable } from './schema.js';

/** A stored score row. */
export type ScoreRow = Selectable<ScoreTable>;

/** Queries over the scores table. */
export interface ScoresRepo {
  /** Replaces every score of a job in one transaction, and marks the job `scored`. */
  replaceForJob(jobId: string, rows: ScoreRow[]): Promise<void>;
  listByJob(jobId: string): Promise<ScoreRow[]>;
  listByCompetition(competitionId: string): Promise<ScoreRow[]>;
}

/** Creates the scores repository. */
export function createScoresRepo(db: Db): ScoresRepo {
  return {
    replaceForJob: (jobId, rows) =>
      db.transaction().execute(async (tx) => {
        await tx.deleteFrom('scores').where('job_id', '=', jobId).execute();
        if (rows.length > 0) await tx.insertInto('scores').values(rows).execute();
        await tx
          .updateTable('jobs')
          .set({ status: 'scored' })
          .where('id', '=', jobId)
          .where('status', 'in', ['evaluating', 'scored'])
          .execute();
      }),
    listByJob: (jobId) =>
      db.selectFrom('scores').selectAll().where('job_id', '=', jobId).orderBy('miner_id').execute(),
    listByCompetition: (competitionId) =>
      db
        .selectFrom('scores')
        .selectAll()
        .where('competition_id', '=', competitionId)
        .orderBy('job_id')
        .execute(),
  };
}
