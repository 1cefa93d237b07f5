import {
  generateMinerKeyPair,
  signPayload,
  submissionPayload,
  type ValidatorMessage,
} from '@tuning-arena/protocol';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  createJob,
  createTempDirs,
  createTestApp,
  registerMiner,
  signedSubmit,
  startCompetition,
} from '../test-fixtures.js';

/** A test app with one miner (a registry session that records frames) holding an accepted, running job. */
async function runningJob(root: string, limits: Record<string, number> = {}) {
  const t = await createTestApp(root, { limits });
  const json = async (method: string, path: string, body?: unknown) =>
    // biome-ignore lint/suspicious/noExplicitAny: loosely inspected test bodies
    (await (await t.request(method, path, body)).json()) as any;
  const competition = await json('POST', '/v1/competitions', { name: 'c' });
  const keys = generateMinerKeyPair();
  const miner = await json('POST', `/v1/competitions/${competition.id}/miners`, {
    publicKey: keys.publicKey,
    owner: 'ann',
    displayName: 'Ann',
  });
  const sent: ValidatorMessage[] = [];
  t.registry.add({
    minerId: miner.id,
    competitionId: competition.id,
    publicKey: keys.publicKey,
    capacity: 1,
    tokenSha256: 'f'.repeat(64),
    connectedAt: Date.now(),
    send: (message) => sent.push(message),
    close: () => undefined,
  });
  const job = await json('POST', `/v1/competitions/${competition.id}/jobs`, {
    model: 'tiny',
    dataset: 'sums',
    timeLimitSeconds: 60,
    minersWanted: 1,
  });
  await expect.poll(() => sent.some((m) => m.type === 'job.offer')).toBe(true);
  await t.scheduler.answerOffer(miner.id, job.id, { accept: true });
  await expect.poll(() => sent.some((m) => m.type === 'job.start')).toBe(true);
  const changes = async () => {
    const [row] = (await sql<{ n: number }>`select total_changes() as n`.execute(t.db)).rows;
    expect(row).toBeDefined();
    return row!.n;
  };
  const progressOf = async () => (await json('GET', `/v1/jobs/${job.id}`)).offers[0].progress;
  const progress = (step: number) =>
    t.connectionDeps.submissions.progress(miner.id, {
      type: 'job.progress',
      jobId: job.id,
      step,
      trainLoss: 1 / (step + 1),
      etaSeconds: 1,
    });
  const commit = (sha: string) =>
    t.connectionDeps.submissions.commit(
      { minerId: miner.id, publicKey: keys.publicKey },
      {
        type: 'job.submit',
        jobId: job.id,
        artifactSha256: sha,
        artifactKind: 'lora',
        strategyNote: 'n'.repeat(4000),
        signature: signPayload(keys.privateKeyPem, submissionPayload(job.id, keys.publicKey, sha, 'lora')),
      },
    );
  return {
    t,
    job,
    miner,
    changes,
    progressOf,
    progress,
    commit,
    [Symbol.asyncDispose]: () => t[Symbol.asyncDispose](),
  };
}

describe('submission service limits', () => {
  it('stores progress while the scheduler queue is busy (progress is not queued behind transitions)', async () => {
    await using dirs = await createTempDirs();
    await using r = await runningJob(dirs.root);
    let release = () => {};
    const held = r.t.queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    let stored = false;
    const done = r.progress(7).then(() => {
      stored = true;
    });
    try {
      await expect.poll(() => stored, { timeout: 2000 }).toBe(true);
      expect((await r.progressOf()).step).toBe(7);
    } finally {
      release();
      await held;
      await done;
    }
  });

  it('coalesces a flood of progress frames into a few writes and keeps the latest', async () => {
    await using dirs = await createTempDirs();
    await using r = await runningJob(dirs.root);
    const before = await r.changes();
    const frames = 2000;
    const started = performance.now();
    for (let step = 0; step < frames; step++) await r.progress(step);
    const ms = performance.now() - started;
    await expect.poll(async () => (await r.progressOf()).step, { timeout: 3000 }).toBe(frames - 1);
    const writes = (await r.changes()) - before;
    console.log(`${frames} progress frames: ${writes} row writes, ${(ms / frames).toFixed(3)} ms per frame`);
    expect(writes).toBeLessThanOrEqual(5);
  });

  it('still refuses progress for a job the miner did not accept', async () => {
    await using dirs = await createTempDirs();
    await using r = await runningJob(dirs.root);
    await expect(
      r.t.connectionDeps.submissions.progress(r.miner.id, {
        type: 'job.progress',
        jobId: 'job_nope',
        step: 1,
        trainLoss: 1,
        etaSeconds: 1,
      }),
    ).rejects.toMatchObject({ code: 'unknown_job' });
  });

  it('refuses commits past maxCommitsPerJob with commit_limit and stores none of them', async () => {
    await using dirs = await createTempDirs();
    await using r = await runningJob(dirs.root, { maxCommitsPerJob: 3 });
    for (let i = 0; i < 3; i++) expect((await r.commit(String(i).repeat(64))).type).toBe('submit.ack');
    for (let i = 3; i < 6; i++)
      await expect(r.commit(String(i).repeat(64))).rejects.toMatchObject({ code: 'commit_limit' });
    const commits = (await (await r.t.request('GET', `/v1/jobs/${r.job.id}/commits`)).json()) as {
      commits: unknown[];
    };
    expect(commits.commits).toHaveLength(3);
  });
});

describe('commit limit over the gateway', () => {
  it('answers the commit past the limit with commit_limit and keeps the connection and the bystander', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root, { limits: { maxCommitsPerJob: 2 } });
    await using _ = { [Symbol.asyncDispose]: () => arena.validator.close() };
    await using miner = await registerMiner(arena, 'ann');
    await using bystander = await registerMiner(arena, 'bob');
    const job = await createJob(arena, { timeLimitSeconds: 60, minersWanted: 2 });
    for (const m of [miner, bystander]) {
      await m.next('job.offer');
      m.send({ type: 'offer.accept', jobId: job.id });
    }
    for (const m of [miner, bystander]) await m.next('job.start');
    for (const digit of ['1', '2']) {
      miner.send(signedSubmit(miner, job.id, digit.repeat(64), { note: 'x'.repeat(4000) }));
      await miner.next('submit.ack', (ack) => ack.artifactSha256 === digit.repeat(64));
    }
    miner.send(signedSubmit(miner, job.id, '3'.repeat(64)));
    const refusal = await miner.next('error');
    expect(refusal.code).toBe('commit_limit');
    expect(refusal.ref).toBe(job.id);
    bystander.send(signedSubmit(bystander, job.id, '4'.repeat(64)));
    await bystander.next('submit.ack');
    expect(miner.closeCode).toBeUndefined();
    const commits = (await arena.operator.get(`/v1/jobs/${job.id}/commits`)).body.commits;
    expect(commits).toHaveLength(3);
  });
});
