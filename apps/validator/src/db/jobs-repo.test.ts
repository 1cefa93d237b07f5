import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createSchedulerKit } from '../scheduler/test-scheduler-kit.js';

/** Makes every later update of `offers` fail, as a crash in the middle of a transition would. */
const breakOfferUpdates = (db: Awaited<ReturnType<typeof createSchedulerKit>>['db']) =>
  sql`create trigger no_offer_updates before update on offers begin select raise(abort, 'broken'); end`.execute(
    db,
  );

describe('jobs repository', () => {
  it('leaves a job offering when withdrawing its pending offers at start fails', async () => {
    await using kit = await createSchedulerKit();
    await kit.addMiner('m1', 1);
    const job = await kit.addJob(2);
    await kit.scheduler.jobCreated(job.id);
    await breakOfferUpdates(kit.db);
    const at = new Date().toISOString();
    await expect(kit.jobs.start(job.id, at, at, 'started')).rejects.toThrow();
    expect((await kit.jobs.get(job.id))?.status).toBe('offering');
  });

  it('leaves a job as it was when withdrawing its pending offers at cancellation fails', async () => {
    await using kit = await createSchedulerKit();
    await kit.addMiner('m1', 1);
    const job = await kit.addJob(1);
    await kit.scheduler.jobCreated(job.id);
    await breakOfferUpdates(kit.db);
    await expect(
      kit.jobs.withdraw(job.id, 'cancelled', new Date().toISOString(), 'operator'),
    ).rejects.toThrow();
    expect((await kit.jobs.get(job.id))?.status).toBe('offering');
  });

  it('lists the offering jobs that still need miners, oldest first, with how many', async () => {
    await using kit = await createSchedulerKit();
    await kit.addMiner('m1', 1);
    const offered = await kit.addJob(3);
    await kit.scheduler.jobCreated(offered.id);
    const waiting = await kit.addJob(2);
    const full = await kit.addJob(1);
    await kit.addMiner('m2', 1, false);
    await kit.offers.insert({
      job_id: full.id,
      miner_id: 'm2',
      status: 'accepted',
      reason: null,
      offered_at: new Date().toISOString(),
      expires_at: new Date().toISOString(),
      decided_at: null,
      progress_step: null,
      progress_train_loss: null,
      progress_at: null,
    });
    const open = await kit.jobs.listNeedingMiners('cmp_a');
    expect(open.map(({ job, needed }) => [job.id, needed])).toEqual([
      [offered.id, 2],
      [waiting.id, 2],
    ]);
  });
});
