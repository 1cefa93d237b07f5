// The whole system end to end: a real validator (HTTP + WebSocket gateway + SQLite) and real miner daemons
// over real sockets. Waits poll observable state (operator API, miner status, ledgers); nothing sleeps.

import { readLedgerHistory } from '@tuning-arena/miner';
import { describe, expect, it } from 'vitest';
import { createTempRoot, operatorClient, startMiner, startValidator } from './fixtures.js';
import { startTcpProxy } from './tcp-proxy.js';
import { createCopyBaseTrainer, createGate, type Gate } from './test-trainers.js';

const poll = { timeout: 30_000, interval: 100 };

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('a competition end to end', () => {
  it('runs two jobs at once: one miner declines, two train, commit and upload, and a late commit is refused', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    const operator = operatorClient(validator.url);
    const competition = await operator.competitions.create({ name: 'e2e cup' });
    const secondJob = deferred<string>();
    const lateGate = createGate();
    const common = { root: root.root, validatorUrl: validator.url, operator, competitionId: competition.id };

    await using picky = await startMiner({
      ...common,
      name: 'ann',
      capacity: 2,
      minTimeLimitSeconds: 3600,
      trainer: createCopyBaseTrainer({ salt: 'ann' }),
    });
    const bobTrainer = createCopyBaseTrainer({ salt: 'bob' });
    await using bob = await startMiner({ ...common, name: 'bob', capacity: 2, trainer: bobTrainer });
    // Cat commits a checkpoint of the second job in time, then finishes its final artifact too late.
    const catTrainer = createCopyBaseTrainer({
      salt: 'cat',
      checkpointFor: async (jobId) => jobId === (await secondJob.promise),
      holdFor: async (jobId): Promise<Gate | undefined> =>
        jobId === (await secondJob.promise) ? lateGate : undefined,
    });
    await using cat = await startMiner({ ...common, name: 'cat', capacity: 2, trainer: catTrainer });
    await expect
      .poll(
        async () =>
          (await operator.miners.list(competition.id)).map((m: { connected: boolean }) => m.connected),
        poll,
      )
      .toEqual([true, true, true]);

    const createJob = async () =>
      (
        await operator.jobs.create(competition.id, {
          model: 'tiny-gpt2',
          dataset: 'sums',
          timeLimitSeconds: 10,
          minersWanted: 3,
        })
      ).id as string;
    const first = await createJob();
    const second = await createJob();
    secondJob.resolve(second);

    // Both jobs run at the same time.
    await expect
      .poll(
        async () => [(await operator.jobs.get(first)).status, (await operator.jobs.get(second)).status],
        poll,
      )
      .toEqual(['running', 'running']);

    // The picky miner declined both with its reason; the others accepted; all of it on the operator API.
    for (const jobId of [first, second]) {
      const view = await operator.jobs.get(jobId);
      const byMiner = Object.fromEntries(view.offers.map((o: { minerId: string }) => [o.minerId, o]));
      expect(byMiner[picky.id]).toMatchObject({
        status: 'rejected',
        reason: expect.stringContaining('below'),
      });
      expect(byMiner[bob.id]).toMatchObject({ status: 'accepted' });
      expect(byMiner[cat.id]).toMatchObject({ status: 'accepted' });
    }

    // Bob and cat deliver the first job, bob the second, cat only a checkpoint of the second.
    const uploaded = async (jobId: string) =>
      (await operator.jobs.submissions(jobId))
        .filter((s: { uploaded: boolean }) => s.uploaded)
        .map((s: { minerId: string }) => s.minerId)
        .sort();
    await expect.poll(() => uploaded(first), poll).toEqual([bob.id, cat.id].sort());
    await expect.poll(() => uploaded(second), poll).toEqual([bob.id, cat.id].sort());

    // Once the second job is past its deadline, cat's final artifact arrives and its commit is refused.
    await expect.poll(async () => (await operator.jobs.get(second)).status, poll).toBe('submitted');
    lateGate.open();
    await expect
      .poll(() => cat.status().jobs.find((j) => j.jobId === second)?.detail ?? '', poll)
      .toContain('deadline_passed');
    const catSecond = (await cat.ledger.history()).find((e) => e.jobId === second)!;
    expect(catSecond.submissions.map((s) => [s.commit_status, s.upload_status, s.refusal_code])).toEqual([
      ['acked', 'uploaded', null],
      ['refused', 'pending', 'deadline_passed'],
    ]);
    const commits = await operator.jobs.commits(second);
    expect(commits.map((c: { artifactSha256: string }) => c.artifactSha256)).not.toContain(
      catSecond.submissions[1]!.artifact_sha256,
    );

    // The operator's submissions carry the hashes and notes the miners recorded in their ledgers.
    await expect.poll(async () => (await operator.jobs.get(first)).status, poll).toBe('submitted');
    const submissions = await operator.jobs.submissions(first);
    for (const miner of [bob, cat]) {
      const mine = (await miner.ledger.history()).find((e) => e.jobId === first)!;
      const last = mine.submissions.at(-1)!;
      expect(last).toMatchObject({
        commit_status: 'acked',
        upload_status: 'uploaded',
        artifact_kind: 'full',
      });
      expect(submissions.find((s: { minerId: string }) => s.minerId === miner.id)).toMatchObject({
        artifactSha256: last.artifact_sha256,
        artifactKind: 'full',
        strategyNote: last.strategy_note,
        uploaded: true,
      });
    }
    expect(new Set(submissions.map((s: { artifactSha256: string }) => s.artifactSha256)).size).toBe(2);
    expect(bobTrainer.calls.sort()).toEqual([first, second].sort());

    // The picky miner's own ledger holds both offers and its reasons; it never trained.
    const pickyHistory = await readLedgerHistory(picky.dataDir);
    expect(pickyHistory.map((e) => [e.jobId, e.offer?.decision])).toEqual([
      [first, 'reject'],
      [second, 'reject'],
    ]);
    expect(pickyHistory.every((e) => e.offer?.reason?.includes('below') && e.submissions.length === 0)).toBe(
      true,
    );
    const miners = await operator.miners.list(competition.id);
    expect(miners.map((m: { id: string }) => m.id).sort()).toEqual([picky.id, bob.id, cat.id].sort());
  });

  it('carries on with a job after its socket is dropped mid-training, and still submits', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    await using proxy = await startTcpProxy(validator.url);
    const operator = operatorClient(validator.url);
    const competition = await operator.competitions.create({ name: 'reconnect cup' });
    const gate = createGate();
    const trainer = createCopyBaseTrainer({ salt: 'dan', holdFor: async () => gate });
    await using dan = await startMiner({
      root: root.root,
      validatorUrl: proxy.url,
      operator,
      competitionId: competition.id,
      name: 'dan',
      trainer,
    });
    await expect.poll(() => dan.status().link, poll).toBe('ready');
    const job = await operator.jobs.create(competition.id, {
      model: 'tiny-gpt2',
      dataset: 'sums',
      timeLimitSeconds: 60,
      minersWanted: 1,
    });
    await expect.poll(() => dan.status().jobs.find((j) => j.jobId === job.id)?.phase, poll).toBe('training');

    expect(dan.status().connects).toBe(1);
    proxy.dropAll();
    await expect.poll(() => dan.status().connects, poll).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => (await operator.miners.get(dan.id)).connected, poll).toBe(true);
    gate.open();

    await expect
      .poll(async () => await operator.jobs.submissions(job.id), poll)
      .toEqual([expect.objectContaining({ minerId: dan.id, uploaded: true })]);
    // The re-sent job.start after the reconnect did not start the job over.
    expect(trainer.calls).toEqual([job.id]);
    const history = await dan.ledger.history();
    expect(history).toHaveLength(1);
    expect(history[0]?.submissions).toEqual([
      expect.objectContaining({ commit_status: 'acked', upload_status: 'uploaded' }),
    ]);
    expect(history[0]?.job?.status).toBe('uploaded');
  });
});
