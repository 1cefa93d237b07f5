// Crash recovery: the compiled CLI (dist/main.js) runs as a real child process, is killed with SIGKILL
// mid-job and restarted on the same data dir; offers, deadlines, accepted miners and commits survive, a
// running job's `job.start` is re-sent on reconnect, and a job whose deadline passes closes on time.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signPayload, submissionPayload } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { connectMiner, createTempDirs, operatorClient, TEST_TOKEN } from './test-fixtures.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const mainJs = join(appDir, 'dist', 'main.js');

/** Builds dist/ (incremental, so cheap when fresh); fails loudly when the build does. */
function build(): void {
  execFileSync('pnpm', ['exec', 'tsc', '-b', appDir], { cwd: appDir, stdio: 'pipe' });
  if (!existsSync(mainJs)) throw new Error(`build did not produce ${mainJs}`);
}

interface Child {
  process: ChildProcess;
  url: string;
  wsUrl: string;
  [Symbol.asyncDispose](): Promise<void>;
}

async function spawnValidator(root: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    [
      mainJs,
      '--port=0',
      `--data-dir=${join(root, 'data')}`,
      `--models-dir=${join(root, 'models')}`,
      `--dataset-dir=${join(root, 'datasets')}`,
      `--operator-token=${TEST_TOKEN}`,
      '--heartbeat-interval-ms=1000',
      '--upload-grace-seconds=2',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const lines: string[] = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      buffer += chunk;
      for (let index = buffer.indexOf('\n'); index >= 0; index = buffer.indexOf('\n')) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        lines.push(line);
        const event = JSON.parse(line) as { event: string; url?: string };
        if (event.event === 'validator.listening' && event.url) resolve(event.url);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`validator exited (${code}) before listening:\n${lines.join('\n')}`)),
    );
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    process: child,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/v1/ws`,
    [Symbol.asyncDispose]: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('restart', () => {
  it('resumes offers, the deadline, accepted miners and commits after kill -9, and closes the job on time', async () => {
    build();
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

    first.process.kill('SIGKILL');
    await first[Symbol.asyncDispose]();
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
