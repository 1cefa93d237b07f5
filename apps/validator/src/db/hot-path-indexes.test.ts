import { describe, expect, it } from 'vitest';
import { createJobsRepo } from './jobs-repo.js';
import { createOffersRepo } from './offers-repo.js';
import { openDb } from './open-db.js';
import { queryPlans } from './test-query-plans.js';

describe('hot-path indexes', () => {
  it('answers the scheduler and authentication queries without scanning jobs or offers', async () => {
    const raw = await openDb(':memory:');
    const plans = await queryPlans(raw, async (db) => {
      const jobs = createJobsRepo(db);
      const offers = createOffersRepo(db);
      await jobs.listNeedingMiners('cmp_a');
      await offers.listLiveByMiner('m1');
      await offers.listByStatus('pending');
      await offers.listByJob('job_a');
      const at = new Date().toISOString();
      await jobs.start('job_a', at, at, 'started');
      await jobs.withdraw('job_a', 'cancelled', at, 'operator');
    });
    expect(plans.length).toBeGreaterThan(0);
    expect(plans.filter((detail) => /^SCAN (jobs|offers)\b/.test(detail))).toEqual([]);
    await raw.destroy();
  });
});
