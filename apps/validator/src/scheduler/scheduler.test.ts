import { describe, expect, it } from 'vitest';
import { createSchedulerKit } from './test-scheduler-kit.js';

type Kit = Awaited<ReturnType<typeof createSchedulerKit>>;

/** Every offering job that still needs miners has been offered to every connected miner with a free slot. */
async function expectNoIdleMinerForWaitingJobs(kit: Kit) {
  const load = await kit.offers.loadByMiner('cmp_a');
  const busy = (id: string) => (load.get(id)?.pending ?? 0) + (load.get(id)?.active ?? 0);
  for (const session of kit.registry.connected('cmp_a'))
    expect(busy(session.minerId)).toBeLessThanOrEqual(session.capacity);
  for (const { job } of await kit.jobs.listNeedingMiners('cmp_a')) {
    const offered = new Set((await kit.offers.listByJob(job.id)).map((offer) => offer.miner_id));
    for (const session of kit.registry.connected('cmp_a')) {
      if (busy(session.minerId) < session.capacity) expect(offered).toContain(session.minerId);
    }
  }
}

describe('scheduler', () => {
  it('offers a connecting miner the oldest waiting job with a query count independent of the waiting jobs', async () => {
    await using kit = await createSchedulerKit();
    await kit.addMiner('m1', 1, false);
    await kit.addMiner('m2', 1, false);
    const waiting = [];
    for (let i = 0; i < 40; i++) {
      const job = await kit.addJob(1);
      await kit.scheduler.jobCreated(job.id);
      waiting.push(job.id);
    }
    for (const [minerId, jobId] of [
      ['m1', waiting[0]!],
      ['m2', waiting[1]!],
    ] as const) {
      kit.connectMiner(minerId);
      const before = kit.queries();
      await kit.scheduler.minerReady(minerId, 'cmp_a');
      expect(kit.queries() - before).toBeLessThanOrEqual(6);
      expect(kit.jobIdsOf(minerId, 'job.offer')).toEqual([jobId]);
    }
  });

  it('offers a miner that rejects an offer the next waiting job', async () => {
    await using kit = await createSchedulerKit();
    await kit.addMiner('m1', 1);
    const first = await kit.addJob(1);
    await kit.scheduler.jobCreated(first.id);
    const second = await kit.addJob(1);
    await kit.scheduler.jobCreated(second.id);
    expect(kit.jobIdsOf('m1', 'job.offer')).toEqual([first.id]);
    await kit.scheduler.answerOffer('m1', first.id, { accept: false, reason: 'no' });
    expect(kit.jobIdsOf('m1', 'job.offer')).toEqual([first.id, second.id]);
    expect((await kit.jobs.get(first.id))?.status).toBe('closed');
  });

  it('offers the miners of a cancelled job the waiting ones', async () => {
    await using kit = await createSchedulerKit();
    await kit.addMiner('m1', 1);
    const running = await kit.addJob(1);
    await kit.scheduler.jobCreated(running.id);
    await kit.scheduler.answerOffer('m1', running.id, { accept: true });
    expect(kit.jobIdsOf('m1', 'job.start')).toEqual([running.id]);
    const waiting = await kit.addJob(1);
    await kit.scheduler.jobCreated(waiting.id);
    expect(kit.jobIdsOf('m1', 'job.offer')).toEqual([running.id]);
    await kit.scheduler.cancelJob(running.id, 'operator');
    expect(kit.jobIdsOf('m1', 'job.offer')).toEqual([running.id, waiting.id]);
  });

  it('withdraws the other offers when a job starts and offers those miners the waiting jobs', async () => {
    await using kit = await createSchedulerKit();
    await kit.addMiner('m1', 1);
    await kit.addMiner('m2', 1);
    const job = await kit.addJob(1);
    await kit.scheduler.jobCreated(job.id);
    // A job that wants one miner is offered to one; a second job waits for the other miner.
    const next = await kit.addJob(2);
    await kit.scheduler.jobCreated(next.id);
    await kit.scheduler.answerOffer('m1', job.id, { accept: true });
    expect(kit.jobIdsOf('m1', 'job.start')).toEqual([job.id]);
    expect(kit.jobIdsOf('m2', 'job.offer')).toEqual([next.id]);
    await expectNoIdleMinerForWaitingJobs(kit);
  });

  it('keeps every miner within capacity and no free miner idle beside a waiting job, whatever the answers', async () => {
    await using kit = await createSchedulerKit();
    for (let i = 0; i < 6; i++) await kit.addMiner(`m${i}`, 1 + (i % 3));
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const jobIds: string[] = [];
    for (let step = 0; step < 60; step++) {
      const roll = random();
      if (roll < 0.3) {
        const job = await kit.addJob(1 + Math.floor(random() * 3));
        jobIds.push(job.id);
        await kit.scheduler.jobCreated(job.id);
      } else if (roll < 0.9) {
        const pending = (await kit.offers.listByStatus('pending'))[0];
        if (pending) {
          await kit.scheduler.answerOffer(pending.miner_id, pending.job_id, { accept: random() < 0.6 });
        }
      } else if (jobIds.length > 0) {
        const jobId = jobIds[Math.floor(random() * jobIds.length)]!;
        await kit.scheduler.cancelJob(jobId, 'operator').catch(() => undefined);
      }
      await expectNoIdleMinerForWaitingJobs(kit);
    }
    expect(jobIds.length).toBeGreaterThan(5);
  });
});
