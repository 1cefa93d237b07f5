// The counts that `GET /metrics` reads at scrape time: jobs per status and the evaluation queue per status.
// Both are answered from an index (jobs_by_status, evaluations_by_status) without reading table rows, so a
// scrape stays cheap as the tables grow. It writes nothing.

import type { Db } from './open-db.js';

/** Scrape-time counts. */
export interface MetricsRepo {
  /** Jobs per status (statuses without jobs are absent). */
  jobsByStatus(): Promise<Record<string, number>>;
  /** Queued and running evaluations per status. */
  evaluationQueue(): Promise<Record<string, number>>;
}

const toRecord = (rows: { status: string; n: number | string | bigint }[]) =>
  Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));

/** Creates the repository. */
export function createMetricsRepo(db: Db): MetricsRepo {
  return {
    jobsByStatus: async () =>
      toRecord(
        await db
          .selectFrom('jobs')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('status')
          .execute(),
      ),
    evaluationQueue: async () =>
      toRecord(
        await db
          .selectFrom('evaluations')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .where('status', 'in', ['queued', 'running'])
          .groupBy('status')
          .execute(),
      ),
  };
}
