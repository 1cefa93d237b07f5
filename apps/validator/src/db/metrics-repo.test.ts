import { CompiledQuery, type KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createCompetitionsRepo } from './competitions-repo.js';
import { createEvaluationsRepo } from './evaluations-repo.js';
import { createJobsRepo } from './jobs-repo.js';
import { createMetricsRepo } from './metrics-repo.js';
import { openDb } from './open-db.js';
import { at, competitionRow, jobRow } from './test-db.js';

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
    const seen: CompiledQuery[] = [];
    const capture: KyselyPlugin = {
      transformQuery: (args) => {
        seen.push(raw.getExecutor().compileQuery(args.node, args.queryId));
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const metrics = createMetricsRepo(raw.withPlugin(capture));
    await metrics.jobsByStatus();
    await metrics.evaluationQueue();
    const plans: string[] = [];
    for (const query of seen) {
      const rows = await raw.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      plans.push(...rows.rows.map((row) => row.detail));
    }
    expect(plans.filter((detail) => /^(SCAN|SEARCH) (jobs|evaluations)\b/.test(detail))).toHaveLength(2);
    expect(
      plans.filter(
        (detail) => /^(SCAN|SEARCH) (jobs|evaluations)\b/.test(detail) && !/COVERING INDEX/.test(detail),
      ),
    ).toEqual([]);
    await raw.destroy();
  });
});
