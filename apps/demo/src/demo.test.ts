import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '@tuning-arena/node-kit';
import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.js';
import { formatReport } from './report.js';

describe('local demo competition', () => {
  it('pretrains a base, runs a job with real miners and reports offers and submissions', async () => {
    const root = await mkdtemp(join(tmpdir(), 'arena-demo-'));
    await using _cleanup = { [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }) };
    const { logger, entries } = createMemoryLogger();
    const summary = await runDemo({
      workDir: join(root, 'work'),
      modelsDir: join(root, 'models'),
      baseModel: {
        name: 'demo-test-base',
        preset: 'nano',
        overrides: { nLayer: 1, nEmbd: 32, nHead: 2 },
        corpus: ['moby-dick'],
        seed: 9,
        steps: 20,
        batchSize: 4,
        learningRate: 3e-3,
        description: 'tiny base for the demo test',
      },
      jobs: [{ dataset: 'country-facts', timeLimitSeconds: 8, minersWanted: 2, maxRows: 200 }],
      participants: [
        {
          name: 'ada',
          owner: 'ada',
          trainer: { method: 'lora', seed: 1 },
          capacity: 1,
          minTimeLimitSeconds: 5,
        },
        {
          name: 'dee',
          owner: 'dee',
          trainer: { method: 'lora', seed: 2 },
          capacity: 1,
          minTimeLimitSeconds: 600,
        },
      ],
      offerTtlSeconds: 5,
      uploadGraceSeconds: 5,
      log: logger,
    });
    const [first] = summary.jobs;
    if (!first) throw new Error('the demo ran no job');
    const { job, submissions } = first;
    expect(job.status).toBe('submitted');
    const byName = new Map(summary.miners.map((miner) => [miner.id, miner.displayName]));
    const offers = Object.fromEntries(job.offers.map((offer) => [byName.get(offer.minerId), offer.status]));
    expect(offers).toEqual({ ada: 'accepted', dee: 'rejected' });
    expect(submissions).toHaveLength(1);
    const [submission] = submissions;
    if (!submission) throw new Error('the job has no submission');
    expect(submission).toMatchObject({ artifactKind: 'lora', uploaded: true });
    expect(submission.strategyNote).toMatch(/LoRA/);
    expect(formatReport(summary)).toContain(submission.artifactSha256.slice(0, 12));
    expect(entries.map((entry) => entry.event)).toContain('demo.validator_listening');
  });
});
