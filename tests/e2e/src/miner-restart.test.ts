// A miner daemon restarted on the same data directory (key and ledger): it resumes a job it was training,
// and on the validator's re-sent `job.start` of a delivered job it neither trains nor commits again. Each
// restart waits for the miner's own account of that `job.start` before checking what it did.

import { createMemoryLogger, createMiner, type JobLedgerStatus } from '@tuning-arena/miner';
import { describe, expect, it } from 'vitest';
import { createTempRoot, operatorClient, startMiner, startValidator } from './fixtures.js';
import { type CopyBaseTrainer, createCopyBaseTrainer, createGate } from './test-trainers.js';

const poll = { timeout: 20_000, interval: 50 };

/** A new daemon on `dataDir` that records its trainer's calls, its phase events and its log lines. */
function restartMiner(validatorUrl: string, dataDir: string, trainer: CopyBaseTrainer) {
  const { logger, entries } = createMemoryLogger();
  const phases: JobLedgerStatus[] = [];
  const miner = createMiner({
    validatorUrl,
    dataDir,
    trainer,
    minTimeLimitSeconds: 1,
    backoff: { initialMs: 100, maxMs: 1000 },
    log: logger,
  });
  miner.events.on('phase', (_jobId, phase) => phases.push(phase));
  return {
    miner,
    trainer,
    phases,
    /** Whether the daemon logged anything about `jobId` (it logs every `job.start` it handles). */
    mentioned: (jobId: string) => entries.some((entry) => entry.fields.jobId === jobId),
    [Symbol.asyncDispose]: () => miner.stop(),
  };
}

/** A trainer that never finishes on its own: a retrain would stay in `training` and show. */
const stuckTrainer = (salt: string) => createCopyBaseTrainer({ salt, holdFor: async () => createGate() });

describe('miner restart', () => {
  it('resumes a job after the miner process stops mid-training, and never retrains a delivered one', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    const operator = operatorClient(validator.url);
    const competition = await operator.competitions.create({ name: 'restart cup' });
    await using eve = await startMiner({
      root: root.root,
      validatorUrl: validator.url,
      operator,
      competitionId: competition.id,
      name: 'eve',
      trainer: stuckTrainer('eve'),
    });
    // A second miner that trains until the deadline keeps the job running (it would close early once every
    // accepted miner's last commit is final), so the validator keeps re-sending job.start to eve's restarts.
    await using _slow = await startMiner({
      root: root.root,
      validatorUrl: validator.url,
      operator,
      competitionId: competition.id,
      name: 'slow',
      trainer: stuckTrainer('slow'),
    });
    await expect.poll(() => eve.status().link, poll).toBe('ready');
    const job = await operator.jobs.create(competition.id, {
      model: 'tiny-gpt2',
      dataset: 'sums',
      timeLimitSeconds: 60,
      minersWanted: 2,
    });
    await expect.poll(() => eve.status().jobs.find((j) => j.jobId === job.id)?.phase, poll).toBe('training');
    await eve.stop();
    const commits = async () => await operator.jobs.commits(job.id);

    // The job was in training: the validator re-sends job.start and the new daemon trains it to the end.
    await using second = restartMiner(validator.url, eve.dataDir, createCopyBaseTrainer({ salt: 'eve-2' }));
    await second.miner.start();
    await expect
      .poll(async () => await operator.jobs.submissions(job.id), poll)
      .toEqual([expect.objectContaining({ minerId: eve.id, uploaded: true })]);
    expect((await operator.jobs.get(job.id)).status).toBe('running');
    await expect.poll(async () => (await second.miner.ledger.getJob(job.id))?.status, poll).toBe('uploaded');
    expect(second.trainer.calls).toEqual([job.id]);
    expect(await commits()).toHaveLength(1);
    await second.miner.stop();

    // The ledger says uploaded: the re-sent job.start is ignored (no phase, no training, no commit).
    await using third = restartMiner(validator.url, eve.dataDir, stuckTrainer('eve-3'));
    await third.miner.start();
    await expect.poll(() => third.mentioned(job.id), poll).toBe(true);
    expect(third.phases).toEqual([]);
    expect(third.trainer.calls).toEqual([]);
    expect(await commits()).toHaveLength(1);
    // As if the daemon had died after recording the upload but before the job's status.
    await third.miner.ledger.upsertJob(job.id, 'uploading');
    await third.miner.stop();

    // The job looks unfinished, but its artifact is uploaded: the job is marked so, not delivered again.
    await using fourth = restartMiner(validator.url, eve.dataDir, stuckTrainer('eve-4'));
    await fourth.miner.start();
    await expect.poll(() => fourth.mentioned(job.id), poll).toBe(true);
    expect(fourth.phases).toEqual(['uploaded']);
    expect(fourth.trainer.calls).toEqual([]);
    expect(await commits()).toHaveLength(1);
    expect((await fourth.miner.ledger.getJob(job.id))?.status).toBe('uploaded');
    await fourth.miner.stop();
  });
});
