import { describe, expect, it } from 'vitest';
import {
  acceptJob,
  createJob,
  createTempDirs,
  registerMiner,
  signedSubmit,
  startCompetition,
} from '../test-fixtures.js';

describe('final commits', () => {
  it('ends a job early once every accepted miner has marked its latest commit final', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _validator = arena.validator;
    await using ann = await registerMiner(arena, 'ann');
    await using bob = await registerMiner(arena, 'bob');
    const job = await createJob(arena, { timeLimitSeconds: 600, minersWanted: 2 });
    for (const miner of [ann, bob]) {
      await miner.next('job.offer');
      miner.send({ type: 'offer.accept', jobId: job.id });
    }
    await Promise.all([ann.next('job.start'), bob.next('job.start')]);
    const status = async () => (await arena.operator.get(`/v1/jobs/${job.id}`)).body.status;
    ann.send({ ...signedSubmit(ann, job.id, 'aa'.repeat(32)), final: true });
    await ann.next('submit.ack');
    // Bob's commit is not final: the job keeps running.
    bob.send(signedSubmit(bob, job.id, 'bb'.repeat(32)));
    await bob.next('submit.ack');
    expect(await status()).toBe('running');
    bob.send({ ...signedSubmit(bob, job.id, 'cc'.repeat(32)), final: true });
    await expect.poll(status, { timeout: 10_000, interval: 50 }).not.toBe('running');
    const ended = (await arena.operator.get(`/v1/jobs/${job.id}`)).body;
    expect(Date.parse(ended.deadline)).toBeLessThan(Date.parse(ended.startedAt) + 600_000);
  });

  it('keeps a job running when a miner marks a commit final and then commits again', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _validator = arena.validator;
    await using ann = await registerMiner(arena, 'ann');
    const job = await createJob(arena, { timeLimitSeconds: 600, minersWanted: 1 });
    await acceptJob(ann, job.id);
    ann.send(signedSubmit(ann, job.id, 'aa'.repeat(32)));
    await ann.next('submit.ack');
    expect((await arena.operator.get(`/v1/jobs/${job.id}`)).body.status).toBe('running');
  });
});
