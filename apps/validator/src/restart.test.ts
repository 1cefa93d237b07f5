// Crash recovery: the compiled CLI (dist/main.js) runs as a real child process, is killed with SIGKILL
// mid-job and restarted on the same data dir; offers, deadlines, accepted miners and commits survive, a
// running job's `job.start` is re-sent on reconnect, and a job whose deadline passes closes on time.

import { join } from 'node:path';
import { signPayload, submissionPayload } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { buildValidatorCli, spawnValidatorCli, testValidatorArgs } from './cli-process.js';
import { connectMiner, createTempDirs, operatorClient, TEST_TOKEN } from './test-fixtures.js';

const spawnValidator = (root: string) =>
  spawnValidatorCli(
    testValidatorArgs({
      dataDir: join(root, 'data'),
      modelsDir: join(root, 'models'),
      datasetDir: join(root, 'datasets'),
      operatorToken: TEST_TOKEN,
    }),
  );

describe('restart', () => {
  it('resumes offers, the deadline, accepted miners and commits after kill -9, and closes the job on time', async () => {
    buildValidatorCli();
    await using dirs = await createTempDirs();
    const first = await spawnValidator(dirs.root);
    const operator = operatorClient(first.url);
    const competition = (await operator.post('/v1/competitions', { name: 'cup' })).body;
    const miner = await connectMiner(first.wsUrl);
    await operator.post(`/v1/competitions/${competition.id}/miners`, {
      publicKey: miner.keys.publicKey,
      owner: 'ann',
      displayName: 'ann',
    });
    await miner.authenticate(3);
    const createJob = async (timeLimitSeconds: number) =>
      (
        await operator.post(`/v1/competitions/${competition.id}/jobs`, {
          model: 'tiny',
          dataset: 'sums',
          timeLimitSeconds,
          minersWanted: 1,
          offerTtlSeconds: 600,
        })
      ).body;
    const job = await createJob(10);
    await miner.next('job.offer', (m) => m.jobId === job.id);
    miner.send({ type: 'offer.accept', jobId: job.id });
    const start = await miner.next('job.start');
    const sha = 'cd'.repeat(32);
    miner.send({
      type: 'job.submit',
      jobId: job.id,
      artifactSha256: sha,
      artifactKind: 'lora',
      strategyNote: 'before the crash',
      signature: signPayload(
        miner.keys.privateKeyPem,
        submissionPayload(job.id, miner.keys.publicKey, sha, 'lora'),
      ),
    });
    const ack = await miner.next('submit.ack');
    // Far from its deadline whatever the restart costs, so it is still running when the miner is back.
    const longJob = await createJob(600);
    await miner.next('job.offer', (m) => m.jobId === longJob.id);
    miner.send({ type: 'offer.accept', jobId: longJob.id });
    const longStart = await miner.next('job.start', (m) => m.jobId === longJob.id);
    const pendingJob = await createJob(60);
    const offer = await miner.next('job.offer', (m) => m.jobId === pendingJob.id);
    const before = (await operator.get(`/v1/jobs/${job.id}`)).body;

    await first.kill();
    await miner.closed();

    await using second = await spawnValidator(dirs.root);
    const again = operatorClient(second.url);
    const after = (await again.get(`/v1/jobs/${job.id}`)).body;
    expect(after.deadline).toBe(start.deadline);
    expect(after.offers).toEqual(before.offers);
    expect(after.startedAt).toBe(before.startedAt);
    expect((await again.get(`/v1/jobs/${job.id}/submissions`)).body.submissions).toEqual([
      expect.objectContaining({
        artifactSha256: sha,
        committedAt: ack.committedAt,
        strategyNote: 'before the crash',
      }),
    ]);
    expect((await again.get(`/v1/jobs/${pendingJob.id}`)).body.offers).toEqual([
      expect.objectContaining({ status: 'pending', expiresAt: offer.offerExpiresAt }),
    ]);

    expect((await again.get(`/v1/jobs/${longJob.id}`)).body).toMatchObject({
      status: 'running',
      deadline: longStart.deadline,
    });

    await using back = await connectMiner(second.wsUrl, miner.keys);
    await back.authenticate(3);
    const resent = { timeout: 10_000, interval: 50 };
    await expect
      .poll(() => back.received.find((m) => m.type === 'job.offer' && m.jobId === pendingJob.id), resent)
      .toMatchObject({ offerExpiresAt: offer.offerExpiresAt });
    await expect
      .poll(() => back.received.find((m) => m.type === 'job.start' && m.jobId === longJob.id), resent)
      .toMatchObject({ deadline: longStart.deadline });

    await expect
      .poll(async () => (await again.get(`/v1/jobs/${job.id}`)).body.status, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe('submitted');
    const ended = (await again.get(`/v1/jobs/${job.id}`)).body;
    expect(Date.parse(ended.endedAt)).toBeGreaterThanOrEqual(Date.parse(start.deadline));
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(start.deadline));
  });
});
