// The competition program end to end: real miners over real sockets take the jobs a two-phase program makes
// on its own (one at a time, then two at once), and a program cut off by kill -9 of the compiled validator
// carries on after the restart without a duplicated or a skipped job.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMiner, readLedgerHistory } from '@tuning-arena/miner';
import type { CompetitionProgram, ProgramView } from '@tuning-arena/protocol';
import { buildValidatorCli, spawnValidatorCli, testValidatorArgs } from '@tuning-arena/validator/cli-process';
import { describe, expect, it } from 'vitest';
import { createTempRoot, OPERATOR_TOKEN, operatorClient, startMiner, startValidator } from './fixtures.js';
import { createCopyBaseTrainer, createGate } from './test-trainers.js';

const poll = { timeout: 60_000, interval: 100 };
const iso = (ms: number) => new Date(ms).toISOString();

/** A second dataset beside `sums`, so the pools hold two pairs. */
async function writeDoubles(root: string) {
  const rows = Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({ prompt: `2 * ${i} =`, answer: `${2 * i}` }),
  );
  await writeFile(join(root, 'datasets', 'doubles.jsonl'), `${rows.join('\n')}\n`);
}

const phase = (overrides: Partial<CompetitionProgram['phases'][number]>) => ({
  name: 'phase',
  models: ['tiny-gpt2'],
  datasets: ['sums', 'doubles'],
  timeLimit: 5,
  minersWanted: 2,
  ...overrides,
});

describe('the competition program end to end', () => {
  it('makes single jobs, then two at once, for real miners, inside the window', async () => {
    await using root = await createTempRoot();
    await writeDoubles(root.root);
    await using validator = await startValidator(root.root);
    const operator = operatorClient(validator.url);
    const startsAt = Date.now() + 2000;
    const competition = await operator.competitions.create({
      name: 'programmed cup',
      startsAt: iso(startsAt),
      endsAt: iso(startsAt + 120_000),
    });
    const common = { root: root.root, validatorUrl: validator.url, operator, competitionId: competition.id };
    await using ann = await startMiner({
      ...common,
      name: 'ann',
      capacity: 2,
      trainer: createCopyBaseTrainer({ salt: 'ann' }),
    });
    await using bob = await startMiner({
      ...common,
      name: 'bob',
      capacity: 2,
      trainer: createCopyBaseTrainer({ salt: 'bob' }),
    });
    await expect
      .poll(async () => (await operator.miners.list(competition.id)).filter((m) => m.connected).length, poll)
      .toBe(2);
    const stored = await operator.programs.put(competition.id, {
      phases: [
        phase({ name: 'warm-up', maxJobs: 2 }),
        phase({ name: 'main', startOffsetSeconds: 10, maxJobs: 2, concurrentJobs: 2 }),
      ],
    });
    expect(stored.jobs).toEqual([]);
    expect(stored.next.wait).toBe('window_opens');

    let view: ProgramView | undefined;
    await expect
      .poll(async () => (view = await operator.programs.get(competition.id)).status, poll)
      .toBe('ended');
    if (!view) throw new Error('no program view');
    expect(view.endReason).toBe('every phase has made its jobs');
    expect(view.jobs.map((job) => [job.seq, job.phase])).toEqual([
      [1, 0],
      [2, 0],
      [3, 1],
      [4, 1],
    ]);
    // Two pairs in the pools: each phase's two jobs are the two different pairs.
    for (const index of [0, 1]) {
      expect(new Set(view.jobs.filter((job) => job.phase === index).map((job) => job.dataset)).size).toBe(2);
    }
    // The program ends once its last job is made; wait for the jobs themselves to end too.
    const ids = view.jobs.map((job) => job.jobId);
    const settled = async () => Promise.all(ids.map((id) => operator.jobs.get(id)));
    await expect.poll(async () => (await settled()).every((job) => job.endedAt !== null), poll).toBe(true);
    const jobs = await settled();
    const [first, second, third, fourth] = jobs;
    if (!first || !second || !third || !fourth) throw new Error('missing jobs');
    expect(Date.parse(first.createdAt)).toBeGreaterThanOrEqual(startsAt);
    // The warm-up ran one job at a time; the main phase ran both of its jobs at once.
    expect(Date.parse(second.createdAt)).toBeGreaterThanOrEqual(Date.parse(first.endedAt ?? ''));
    expect(Date.parse(third.createdAt)).toBeGreaterThanOrEqual(Date.parse(view.phases[1]?.startsAt ?? ''));
    expect(Date.parse(fourth.startedAt ?? '')).toBeLessThan(Date.parse(third.endedAt ?? ''));
    for (const job of jobs) {
      expect(job.offers.filter((offer) => offer.status === 'accepted')).toHaveLength(2);
    }
    for (const miner of [ann, bob]) {
      await expect
        .poll(async () => (await readLedgerHistory(miner.dataDir)).map((entry) => entry.jobId).sort(), poll)
        .toEqual(view.jobs.map((job) => job.jobId).sort());
    }
  });

  it('carries on after kill -9 of the validator without duplicating or skipping a job', async () => {
    buildValidatorCli();
    await using root = await createTempRoot();
    await writeDoubles(root.root);
    const args = testValidatorArgs({
      dataDir: join(root.root, 'validator'),
      modelsDir: join(root.root, 'models'),
      datasetDir: join(root.root, 'datasets'),
      operatorToken: OPERATOR_TOKEN,
    });
    const first = await spawnValidatorCli(args);
    const operator = operatorClient(first.url);
    const competition = await operator.competitions.create({
      name: 'restarted program',
      program: { phases: [phase({ minersWanted: 1, timeLimit: 3, maxJobs: 5, offerTtlSeconds: 2 })] },
    });
    const common = { root: root.root, validatorUrl: first.url, operator, competitionId: competition.id };
    // Each job runs to its deadline (a checkpoint, then waiting), so the kill lands while one is running.
    const slow = () =>
      createCopyBaseTrainer({
        salt: 'ann',
        checkpointFor: async () => true,
        holdFor: async () => createGate(),
      });
    const ann = await startMiner({ ...common, name: 'ann', trainer: slow() });
    await expect
      .poll(async () => (await operator.programs.get(competition.id)).jobs.length, poll)
      .toBeGreaterThanOrEqual(2);
    const cut = await operator.programs.get(competition.id);
    await first.kill();
    await ann.stop();
    expect(cut.jobs.length).toBeLessThan(5);
    const before = (await readLedgerHistory(ann.dataDir)).length;

    await using second = await spawnValidatorCli(args);
    const after = operatorClient(second.url);
    await using back = createMiner({
      validatorUrl: second.url,
      dataDir: ann.dataDir,
      trainer: slow(),
      backoff: { initialMs: 100, maxMs: 1000 },
      minTimeLimitSeconds: 1,
    });
    await back.start();
    await expect.poll(async () => (await after.programs.get(competition.id)).status, poll).toBe('ended');
    const view = await after.programs.get(competition.id);
    expect(view.jobs.map((job) => job.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(view.jobs.map((job) => job.jobId)).size).toBe(5);
    expect((await after.jobs.list(competition.id)).length).toBe(5);
    expect(before).toBeGreaterThanOrEqual(1);
  });
});
