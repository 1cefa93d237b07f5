// The demo competition end to end, shortened: briefly pretrained bases (the job's and an impostor of its
// architecture), three honest miners and the whole red team, a two-phase program (one job, then two at once)
// over three bundled datasets. Every cheat must be caught by its intended rule, honest miners must pass every
// rule and beat the base on both splits, and an honest miner must top the leaderboard.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DemoSchedule, HONEST, RED_TEAM, runDemo } from '@tuning-arena/demo';
import { describe, expect, it } from 'vitest';

const tiny = (name: string, corpus: string, seed: number) => ({
  name,
  preset: 'nano' as const,
  corpus: [corpus],
  seed,
  steps: 1200,
  batchSize: 8,
  learningRate: 3e-3,
  description: 'briefly pretrained base of the demo e2e test',
});

const SHORT: DemoSchedule = {
  warmUp: { jobs: 1, seconds: 20, datasets: ['country-facts'] },
  main: { jobs: 2, seconds: 20, datasets: ['arithmetic', 'emoji-names'], startOffsetSeconds: 24 },
  // 60 test rows per job. test-leak's thresholds were set on 9 runs of this set-up (integrity/CALIBRATION.md):
  // honest miners stayed at half the excess that fails, and the leaker is caught on country-facts every time.
  maxRows: 600,
};

/** The rule each red-team strategy is meant to be caught by. */
const INTENDED: Record<string, string> = {
  duplicate: 'duplicate',
  'perturbed-copy': 'duplicate',
  impostor: 'lineage',
  blend: 'lineage',
  base: 'not-base',
  'test-leak': 'test-leak',
};

describe('the demo competition', () => {
  it('catches every cheat by its rule and ranks an honest miner first', { timeout: 240_000 }, async () => {
    const root = await mkdtemp(join(tmpdir(), 'arena-demo-e2e-'));
    await using _cleanup = { [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }) };
    // A weakly pretrained base moves as far under a hot full fine-tune as it did in pretraining and fails
    // lineage's cosine floor (300 steps did for dee at lr 2e-3, now and then); 1200 steps, near the demo's 1500,
    // keep honest fine-tunes near their base. bo's lr 3e-3 batch 16 is still too hot for it.
    const participants = [...HONEST.filter((p) => p.name !== 'bo'), ...RED_TEAM];
    const run = await runDemo({
      workDir: join(root, 'work'),
      modelsDir: join(root, 'models'),
      models: { base: tiny('demo-tiny', 'brown', 1), impostor: tiny('demo-tiny-other', 'moby-dick', 2) },
      schedule: SHORT,
      participants,
      write: () => {},
    });
    const { summary } = run;
    expect(summary.jobs.map((job) => job.dataset).sort()).toEqual([
      'arithmetic',
      'country-facts',
      'emoji-names',
    ]);
    const flagsOf = (miner: string) =>
      summary.jobs.flatMap((job) => job.submissions.filter((s) => s.miner === miner).map((s) => s.flags));
    for (const p of participants) {
      const flags = flagsOf(p.name);
      expect(flags.length, `${p.name} submitted to every job`).toBe(summary.jobs.length);
      if (p.honest) {
        expect(flags.flat(), `${p.name} passes every rule`).toEqual([]);
      } else if (INTENDED[p.strategy]) {
        expect(flags.flat(), `${p.name} (${p.strategy})`).toContain(INTENDED[p.strategy]);
      }
    }
    // One owner's two duplicate miners: whichever takes the stash first trains, so in the first job exactly
    // one of them is the copy (the earliest commit keeps its score); in every later job both are copies.
    const [firstEve, ...laterEve] = flagsOf('eve');
    const [firstEve2, ...laterEve2] = flagsOf('eve-2');
    expect([firstEve, firstEve2].filter((f) => f?.includes('duplicate'))).toHaveLength(1);
    expect([...laterEve, ...laterEve2].every((f) => f.includes('duplicate'))).toBe(true);
    for (const job of summary.jobs) {
      for (const s of job.submissions.filter((x) => HONEST.some((h) => h.name === x.miner))) {
        expect(s.test!, `${s.miner} beats the base on test in ${job.dataset}`).toBeLessThan(job.base!.test);
        expect(s.synthetic!, `${s.miner} beats the base on synthetic in ${job.dataset}`).toBeLessThan(
          job.base!.synthetic,
        );
      }
    }
    const [top] = summary.leaderboard;
    expect(HONEST.map((h) => h.name)).toContain(top?.miner);
    expect(summary.jobs[0]?.submissions[0]).toMatchObject({
      strategy: expect.any(String),
      quality: expect.any(Number),
    });
  });
});
