import { describe, expect, it } from 'vitest';
import type { JobRow } from '../db/jobs-repo.js';
import { createOpenJobs } from './open-jobs.js';

const job = (id: string, createdAt: string, competitionId = 'cmp_a') =>
  ({ id, created_at: createdAt, competition_id: competitionId }) as JobRow;

describe('open jobs', () => {
  it('loads a competition once, keeps jobs oldest first and drops those that need nobody', async () => {
    let loads = 0;
    const open = createOpenJobs({
      listNeedingMiners: async () => {
        loads++;
        return [{ job: job('b', '2026-01-02'), needed: 1 }];
      },
    });
    open.set(job('ignored', '2026-01-01'), 1); // not loaded yet: the database already has it
    expect((await open.of('cmp_a')).map((o) => o.job.id)).toEqual(['b']);
    open.set(job('c', '2026-01-03'), 2);
    open.set(job('a', '2026-01-01'), 1);
    open.set(job('b', '2026-01-02'), 3);
    const ids = async () => (await open.of('cmp_a')).map((o) => `${o.job.id}${o.needed}`);
    expect(await ids()).toEqual(['a1', 'b3', 'c2']);
    open.set(job('b', '2026-01-02'), 0);
    open.remove(job('a', '2026-01-01'));
    expect(await ids()).toEqual(['c2']);
    expect(loads).toBe(1);
  });
});
