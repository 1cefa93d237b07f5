// A validator killed with SIGKILL in the middle of an evaluation resumes it after a restart on the same data
// directory: the lease the dead pool held expires, the new pool claims the job, keeps the models already
// evaluated, evaluates the rest and scores the job exactly once. The validator is the compiled CLI.

import { join } from 'node:path';
import { createEngineTrainer, createMiner, readLedgerHistory } from '@tuning-arena/miner';
import { buildValidatorCli, spawnValidatorCli, testValidatorArgs } from '@tuning-arena/validator/cli-process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { OPERATOR_TOKEN, operatorClient, startMiner } from './fixtures.js';
import { createTempRoot } from './judge-fixtures.js';

const poll = { timeout: 120_000, interval: 100 };

const cliArgs = (root: string) => [
  ...testValidatorArgs({
    dataDir: join(root, 'validator'),
    modelsDir: join(root, 'models'),
    datasetDir: join(root, 'datasets'),
    operatorToken: OPERATOR_TOKEN,
  }),
  '--offer-ttl-seconds=20',
  '--evaluation-workers=1',
  '--evaluation-lease-ms=1500',
];

/** Reads the evaluation bookkeeping of a job straight from the database file. */
function bookkeeping(root: string, jobId: string) {
  const db = new Database(join(root, 'validator', 'validator.sqlite'), { readonly: true });
  try {
    const evaluation = db.prepare('select status, attempts from evaluations where job_id = ?').get(jobId) as
      | { status: string; attempts: number }
      | undefined;
    const items = db
      .prepare('select subject, status, attempts from evaluation_items where job_id = ? order by subject')
      .all(jobId) as { subject: string; status: string; attempts: number }[];
    const scores = (
      db.prepare('select count(*) as n from scores where job_id = ?').get(jobId) as { n: number }
    ).n;
    return { evaluation, items, scores };
  } finally {
    db.close();
  }
}

describe('judge restart', () => {
  it('resumes an evaluation cut off by kill -9 and scores the job once', async () => {
    buildValidatorCli();
    await using root = await createTempRoot();
    const first = await spawnValidatorCli(cliArgs(root.root));
    const { url } = first;
    const operator = operatorClient(url);
    const competition = await operator.competitions.create({ name: 'restart judge cup' });
    const common = { root: root.root, validatorUrl: url, operator, competitionId: competition.id };
    const miners = [
      await startMiner({
        ...common,
        name: 'ada',
        trainer: createEngineTrainer({ seed: 1, reserveMs: 2000 }),
      }),
      await startMiner({
        ...common,
        name: 'bob',
        trainer: createEngineTrainer({ seed: 2, reserveMs: 2000 }),
      }),
    ];
    await expect
      .poll(async () => (await operator.miners.list(competition.id)).filter((m) => m.connected).length, poll)
      .toBe(2);
    const job = await operator.jobs.create(competition.id, {
      model: 'judge-gpt2',
      dataset: 'country-facts',
      timeLimitSeconds: 8,
      minersWanted: 2,
      maxRows: 200,
    });
    // Stop the validator as soon as the base is evaluated and before the job is scored.
    await expect
      .poll(
        () => bookkeeping(root.root, job.id).items.some((i) => i.subject === 'base' && i.status === 'done'),
        poll,
      )
      .toBe(true);
    await first.kill();
    for (const miner of miners) await miner.stop();
    const cut = bookkeeping(root.root, job.id);
    expect(cut.evaluation?.status).toBe('running');
    expect(cut.scores).toBe(0);

    await using second = await spawnValidatorCli(cliArgs(root.root));
    {
      const after = operatorClient(second.url);
      await expect.poll(async () => (await after.jobs.get(job.id)).status, poll).toBe('scored');
      const done = bookkeeping(root.root, job.id);
      expect(done.evaluation).toEqual({ status: 'done', attempts: 2 });
      expect(done.scores).toBe(2);
      // The base was evaluated once, before the stop; it was not evaluated again.
      expect(done.items.find((i) => i.subject === 'base')).toEqual({
        subject: 'base',
        status: 'done',
        attempts: 1,
      });
      const results = (await after.request('GET', `/v1/jobs/${job.id}/results`)).body as {
        submissions: unknown[];
      };
      expect(results.submissions).toHaveLength(2);
      // Ada's daemon was down when the job was scored: on reconnecting it is sent its result, and keeps it.
      const [ada] = miners;
      if (!ada) throw new Error('no miner');
      await using back = createMiner({
        validatorUrl: second.url,
        dataDir: ada.dataDir,
        trainer: createEngineTrainer(),
        backoff: { initialMs: 100, maxMs: 1000 },
      });
      await back.start();
      await expect
        .poll(
          async () => (await readLedgerHistory(ada.dataDir)).find((e) => e.jobId === job.id)?.result?.status,
          poll,
        )
        .toBe('scored');
    }
  });
});
