import { createMiner } from '@tuning-arena/miner';
import { describe, expect, it } from 'vitest';
import { createTempRoot, operatorClient, startMiner, startValidator } from './fixtures.js';
import { createCopyBaseTrainer, createGate } from './test-trainers.js';

const poll = { timeout: 20_000, interval: 50 };

describe('miner restart', () => {
  it('resumes a job after the miner process stops mid-training, and never retrains a delivered one', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    const operator = operatorClient(validator.url);
    const competition = await operator.post('/v1/competitions', { name: 'restart cup' });
    const first = createCopyBaseTrainer({ salt: 'eve', holdFor: async () => createGate() });
    const eve = await startMiner({
      root: root.root,
      validatorUrl: validator.url,
      operator,
      competitionId: competition.id,
      name: 'eve',
      trainer: first,
    });
    await expect.poll(() => eve.status().link, poll).toBe('ready');
    const job = await operator.post(`/v1/competitions/${competition.id}/jobs`, {
      model: 'tiny-gpt2',
      dataset: 'sums',
      timeLimitSeconds: 60,
      minersWanted: 1,
    });
    await expect.poll(() => eve.status().jobs.find((j) => j.jobId === job.id)?.phase, poll).toBe('training');
    await eve.stop();

    // The same data directory (key and ledger) in a new daemon: the validator re-sends job.start.
    const restart = (salt: string) => {
      const trainer = createCopyBaseTrainer({ salt });
      const logs: string[] = [];
      const miner = createMiner({
        validatorUrl: validator.url,
        dataDir: eve.dataDir,
        trainer,
        minTimeLimitSeconds: 1,
        backoff: { initialMs: 100, maxMs: 1000 },
        log: (_level, message) => logs.push(message),
      });
      return { miner, trainer, logs };
    };
    const second = restart('eve-2');
    await second.miner.start();
    await expect
      .poll(async () => (await operator.get(`/v1/jobs/${job.id}/submissions`)).submissions, poll)
      .toEqual([expect.objectContaining({ minerId: eve.id, uploaded: true })]);
    expect(second.trainer.calls).toEqual([job.id]);
    await second.miner.stop();

    const third = restart('eve-3');
    await third.miner.start();
    await expect.poll(() => third.miner.status().connects, poll).toBeGreaterThanOrEqual(1);
    await expect
      .poll(async () => (await third.miner.ledger.history())[0]?.job?.status, poll)
      .toBe('uploaded');
    expect(third.trainer.calls).toEqual([]);
    expect((await operator.get(`/v1/jobs/${job.id}/commits`)).commits).toHaveLength(1);
    await third.miner.stop();
  });
});
