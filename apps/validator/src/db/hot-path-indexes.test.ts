import { CompiledQuery, type KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createJobsRepo } from './jobs-repo.js';
import { createOffersRepo } from './offers-repo.js';
import { openDb } from './open-db.js';

describe('hot-path indexes', () => {
  it('answers the scheduler and authentication queries without scanning jobs or offers', async () => {
    const raw = await openDb(':memory:');
    const seen: CompiledQuery[] = [];
    const capture: KyselyPlugin = {
      transformQuery: (args) => {
        seen.push(raw.getExecutor().compileQuery(args.node, args.queryId));
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = raw.withPlugin(capture);
    const jobs = createJobsRepo(db);
    const offers = createOffersRepo(db);
    await jobs.listNeedingMiners('cmp_a');
    await offers.listLiveByMiner('m1');
    await offers.listByStatus('pending');
    await offers.listByJob('job_a');
    const at = new Date().toISOString();
    await jobs.start('job_a', at, at, 'started');
    await jobs.withdraw('job_a', 'cancelled', at, 'operator');
    const plans: string[] = [];
    for (const query of seen) {
      if (/^\s*(begin|commit|rollback)/i.test(query.sql)) continue;
      const rows = await raw.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      plans.push(...rows.rows.map((row) => row.detail));
    }
    expect(plans.length).toBeGreaterThan(0);
    expect(plans.filter((detail) => /^SCAN (jobs|offers)\b/.test(detail))).toEqual([]);
    await raw.destroy();
  });
});
