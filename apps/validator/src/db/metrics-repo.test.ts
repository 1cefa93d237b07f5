import { describe, expect, it } from 'vitest';
import { createCompetitionsRepo } from './competitions-repo.js';
import { createEvaluationsRepo } from './evaluations-repo.js';
import { createJobsRepo } from './jobs-repo.js';
import { createMetricsRepo } from './metrics-repo.js';
import { openDb } from './open-db.js';
import { at, competitionRow, jobRow } from './test-db.js';
import { queryPlans } from './test-query-plans.js';

describe('metrics repo', () => {
  it('counts jobs per status and the evaluation queue', async () => {
    const db = await openDb(':memory:');
    await createCompetitionsRepo(db).insert(competitionRow('cmp_a'));
    const jobs = createJobsRepo(db);
    await jobs.insert(jobRow('job_a', 'cmp_a'));
    await jobs.insert(jobRow('job_b', 'cmp_a'));
    await jobs.insert(jobRow('job_c', 'cmp_a', { status: 'submitted', started_at: at(1), deadline: at(2) }));
    const metrics = createMetricsRepo(db);
    expect(await metrics.jobsByStatus()).toEqual({ offering: 2, submitted: 1 });
    expect(await metrics.evaluationQueue()).toEqual({});
    await createEvaluationsRepo(db).enqueue('job_c', 'seed', at(3));
    expect(await metrics.jobsByStatus()).toEqual({ offering: 2, evaluating: 1 });
    expect(await metrics.evaluationQueue()).toEqual({ queued: 1 });
    const evaluations = createEvaluationsRepo(db);
    await evaluations.claim('loop', at(4), at(100));
    expect(await metrics.evaluationQueue()).toEqual({ running: 1 });
    await evaluations.finish('job_c', 'loop', 'done', at(5));
    expect(await metrics.evaluationQueue()).toEqual({});
    await db.destroy();
  });

  it('answers from the status indexes without reading table rows', async () => {
    const raw = await openDb(':memory:');
    const plans = await queryPlans(raw, async (db) => {
      const metrics = createMetricsRepo(db);
      await metrics.jobsByStatus();
      await metrics.evaluationQueue();
    });
    const reads = plans.filter((detail) => /^(SCAN|SEARCH) (jobs|evaluations)\b/.test(detail));
    expect(reads).toHaveLength(2);
    expect(reads.filter((detail) => !/USING COVERING INDEX/.test(detail))).toEqual([]);
    await raw.destroy();
  });
});
