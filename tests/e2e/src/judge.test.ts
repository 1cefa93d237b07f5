// The judge end to end: a real validator, real miners over real sockets and the real engine on a tiny GPT-2.
// Honest miners fine-tune (LoRA and full); cheats submit a copy of another miner's artifact (same owner),
// the untouched base, an independently initialised "impostor", a blend of base and impostor, and a model
// also trained on the job's hidden test rows. Each cheat must be caught by its rule with evidence visible in
// /results, and honest miners must pass every rule and beat the base on both splits.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createModel,
  createModelConfig,
  createRng,
  decodeModelFiles,
  encodeModelFiles,
  loadModelDir,
} from '@tuning-arena/engine';
import { createEngineTrainer, readLedgerHistory, type Trainer, type TrainRequest } from '@tuning-arena/miner';
import { type BundleFile, encodeBundle, type SubmissionResultView, sha256Hex } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { operatorClient, startMiner } from './fixtures.js';
import { createTempRoot, startJudgeValidator } from './judge-fixtures.js';

const poll = { timeout: 120_000, interval: 250 };

/** A trainer that returns whatever `make` builds from the request (a cheat). */
function cheat(
  name: string,
  kind: 'lora' | 'full',
  make: (request: TrainRequest) => Promise<BundleFile[]>,
): Trainer {
  return {
    name,
    train: async (request) => ({ kind, strategyNote: name, files: await make(request) }),
  };
}

function fullFiles(model: Parameters<typeof encodeModelFiles>[0]): BundleFile[] {
  const files = encodeModelFiles(model);
  return [
    { name: 'config.json', data: files.config },
    { name: 'model.safetensors', data: files.weights },
    { name: 'tokenizer.json', data: files.tokenizer },
  ];
}

describe('the judge', () => {
  it('scores honest fine-tunes above the base and catches each cheat by its rule, with evidence', async () => {
    await using root = await createTempRoot();
    await using validator = await startJudgeValidator(root.root);
    const operator = operatorClient(validator.url);
    const competition = await operator.competitions.create({ name: 'judge cup' });
    const common = { root: root.root, validatorUrl: validator.url, operator, competitionId: competition.id };

    let honestOutput: ((files: BundleFile[]) => void) | undefined;
    const honestFiles = new Promise<BundleFile[]>((resolve) => {
      honestOutput = resolve;
    });
    // Bounded steps, so every miner is done well before the deadline and the job closes early (all final).
    const lora = createEngineTrainer({ method: 'lora', seed: 1, reserveMs: 2500, maxSteps: 200 });
    let firstOutput: Awaited<ReturnType<Trainer['train']>> | undefined;
    // Ada trains honestly once; offered a second job she re-submits that first training (a cheat).
    const recording: Trainer = {
      name: 'engine-lora',
      train: async (request) => {
        if (firstOutput) return { ...firstOutput, strategyNote: 'resubmitted' };
        const output = await lora.train(request);
        if ('dir' in output) throw new Error('expected files');
        firstOutput = output;
        honestOutput?.(output.files);
        return output;
      },
    };
    // Bob's full fine-tunes, per job, for Gus to copy with a little noise.
    const bobFiles = new Map<string, (files: BundleFile[]) => void>();
    const bobOutputs = new Map<string, Promise<BundleFile[]>>();
    const bobOutput = (jobId: string) => {
      if (!bobOutputs.has(jobId))
        bobOutputs.set(jobId, new Promise((resolve) => bobFiles.set(jobId, resolve)));
      return bobOutputs.get(jobId) as Promise<BundleFile[]>;
    };
    const full = createEngineTrainer({
      method: 'full',
      seed: 2,
      reserveMs: 2500,
      learningRate: 1e-4,
      maxSteps: 80,
    });
    const committedBy = async (jobId: string, minerId: string, files: BundleFile[]) => {
      const sha = sha256Hex(encodeBundle(files));
      const committed = async () =>
        (await operator.jobs.commits(jobId)).some((c) => c.minerId === minerId && c.artifactSha256 === sha);
      await expect.poll(committed, poll).toBe(true);
    };
    let honestLoraId = '';
    let bobId = '';
    const impostor = createModel(createModelConfig(root.config), { seed: 99 }); // = models/judge-gpt2-other
    const miners = {
      honestLora: await startMiner({ ...common, name: 'ada', trainer: recording }),
      honestFull: await startMiner({
        ...common,
        name: 'bob',
        trainer: {
          name: 'engine-full',
          train: async (request) => {
            const output = await full.train(request);
            if ('dir' in output) throw new Error('expected files');
            bobOutput(request.jobId);
            bobFiles.get(request.jobId)?.(output.files);
            return output;
          },
        },
      }),
      perturbed: await startMiner({
        ...common,
        name: 'gus',
        // Gus takes Bob's fine-tune (shared by Bob) and adds noise of 1e-3 of each weight's scale.
        trainer: cheat('perturbed-copy', 'full', async (request) => {
          const files = await bobOutput(request.jobId);
          await committedBy(request.jobId, bobId, files);
          const bytes = (name: string) => files.find((f) => f.name === name)?.data ?? new Uint8Array();
          const decoded = decodeModelFiles({
            config: bytes('config.json'),
            weights: bytes('model.safetensors'),
            tokenizer: bytes('tokenizer.json'),
          });
          if (!decoded.ok) throw new Error(decoded.error.code);
          const rng = createRng(7);
          const data = decoded.value.model.params.data;
          for (let i = 0; i < data.length; i++) data[i] = (data[i] ?? 0) * (1 + 1e-3 * rng.normal());
          return fullFiles(decoded.value.model);
        }),
      }),
      copy: await startMiner({
        ...common,
        name: 'ada-2',
        owner: 'ada',
        // Ada's second miner submits her first miner's artifact, once that one has committed it.
        trainer: cheat('copy', 'lora', async (request) => {
          const files = await honestFiles;
          await committedBy(request.jobId, honestLoraId, files);
          return files;
        }),
      }),
      base: await startMiner({
        ...common,
        name: 'cy',
        trainer: cheat('base', 'full', async (request) =>
          fullFiles((await loadModelDir(request.baseModelDir)).model),
        ),
      }),
      impostor: await startMiner({
        ...common,
        name: 'dee',
        trainer: cheat('impostor', 'full', async () => fullFiles(impostor)),
      }),
      blend: await startMiner({
        ...common,
        name: 'eve',
        trainer: cheat('blend', 'full', async (request) => {
          const { model } = await loadModelDir(request.baseModelDir);
          const mixed = model.params.data.map((w, i) => 0.8 * w + 0.2 * (impostor.params.data[i] ?? 0));
          model.params.data.set(mixed);
          return fullFiles(model);
        }),
      }),
      leak: await startMiner({
        ...common,
        name: 'fay',
        trainer: {
          name: 'leak',
          train: async (request) => {
            // As a participant who found the hidden test rows: train on train + test.
            const test = await readFile(
              join(root.root, 'validator', 'jobs', request.jobId, 'test.jsonl'),
              'utf8',
            );
            const train = await readFile(request.trainDataPath, 'utf8');
            const leaked = join(request.outputDir, '..', 'leaked.jsonl');
            await mkdir(join(request.outputDir, '..'), { recursive: true });
            await writeFile(leaked, `${train.trim()}\n${`${test.trim()}\n`.repeat(10)}`);
            return createEngineTrainer({ method: 'full', seed: 3, reserveMs: 2500, maxSteps: 1500 }).train({
              ...request,
              trainDataPath: leaked,
            });
          },
        },
      }),
    };
    honestLoraId = miners.honestLora.id;
    bobId = miners.honestFull.id;
    await using _miners = {
      [Symbol.asyncDispose]: async () => {
        for (const miner of Object.values(miners)) await miner.stop();
      },
    };
    const wanted = Object.keys(miners).length;
    await expect
      .poll(async () => (await operator.miners.list(competition.id)).filter((m) => m.connected).length, poll)
      .toBe(wanted);

    const job = await operator.jobs.create(competition.id, {
      model: 'judge-gpt2',
      dataset: 'country-facts',
      timeLimitSeconds: 40,
      minersWanted: wanted,
      maxRows: 300,
    });
    await expect.poll(async () => (await operator.jobs.get(job.id)).status, poll).toBe('scored');
    // Every miner marked its last commit final, so the job closed before its time limit ran out.
    const ended = await operator.jobs.get(job.id);
    expect(Date.parse(ended.endedAt ?? '')).toBeLessThan(Date.parse(ended.startedAt ?? '') + 40_000);
    const results = (await operator.request('GET', `/v1/jobs/${job.id}/results`)).body as {
      base: { test: number; synthetic: number };
      submissions: SubmissionResultView[];
      misses: unknown[];
    };
    const byMiner = new Map(results.submissions.map((s) => [s.minerId, s]));
    const flagsOf = (id: string) => (byMiner.get(id)?.flags ?? []).map((flag) => flag.rule).sort();

    for (const honest of [miners.honestLora, miners.honestFull]) {
      const result = byMiner.get(honest.id);
      expect(
        result?.verdicts.every((v) => v.passed),
        JSON.stringify(result?.verdicts),
      ).toBe(true);
      expect(result?.status).toBe('valid');
      expect(result?.improvement.test).toBeGreaterThan(0);
      expect(result?.improvement.synthetic).toBeGreaterThan(0);
    }
    expect(flagsOf(miners.copy.id)).toContain('duplicate');
    expect(byMiner.get(miners.copy.id)?.quality).toBe(0);
    expect(byMiner.get(miners.copy.id)?.flags.find((f) => f.rule === 'duplicate')?.evidence).toBeTruthy();
    expect(flagsOf(miners.base.id)).toContain('not-base');
    expect(flagsOf(miners.impostor.id)).toContain('lineage');
    expect(flagsOf(miners.blend.id)).toContain('lineage');
    expect(flagsOf(miners.leak.id)).toContain('test-leak');
    expect(flagsOf(miners.perturbed.id)).toContain('duplicate');
    const perturbedOf = byMiner.get(miners.perturbed.id)?.flags.find((f) => f.rule === 'duplicate')
      ?.evidence as {
      original?: { minerId: string };
    };
    expect(perturbedOf.original?.minerId).toBe(miners.honestFull.id);

    const leaderboard = (await operator.request('GET', `/v1/competitions/${competition.id}/leaderboard`))
      .body as {
      miners: { minerId: string; rank: number; score: number }[];
    };
    const top = leaderboard.miners[0]?.minerId;
    expect([miners.honestLora.id, miners.honestFull.id]).toContain(top);

    // The miner got its result over the socket and its ledger keeps it.
    await expect
      .poll(
        async () =>
          (await readLedgerHistory(miners.honestLora.dataDir)).find((e) => e.jobId === job.id)?.result
            ?.status,
        poll,
      )
      .toBe('scored');

    // A second job on the same base: Ada re-submits her first job's training, caught across jobs.
    const second = await operator.jobs.create(competition.id, {
      model: 'judge-gpt2',
      dataset: 'country-facts',
      timeLimitSeconds: 40,
      minersWanted: wanted,
      maxRows: 300,
    });
    await expect.poll(async () => (await operator.jobs.get(second.id)).status, poll).toBe('scored');
    const again = (await operator.request('GET', `/v1/jobs/${second.id}/results`)).body as {
      submissions: SubmissionResultView[];
    };
    const resubmitted = again.submissions.find((s) => s.minerId === miners.honestLora.id);
    const crossJob = resubmitted?.flags.find((f) => f.rule === 'duplicate')?.evidence as {
      original?: { jobId: string; minerId: string };
    };
    expect(resubmitted?.quality).toBe(0);
    expect(crossJob.original).toMatchObject({ jobId: job.id, minerId: miners.honestLora.id });
    expect(again.submissions.find((s) => s.minerId === miners.honestFull.id)?.status).toBe('valid');

    // Switching the duplicate rule off and re-scoring gives the copy a score, and is audited.
    const patched = await operator.request('PATCH', `/v1/competitions/${competition.id}/rules/duplicate`, {
      enabled: false,
    });
    expect(patched.status).toBe(200);
    const rescored = (await operator.request('POST', `/v1/jobs/${job.id}/rescore`, {})).body as {
      submissions: SubmissionResultView[];
    };
    expect(rescored.submissions.find((s) => s.minerId === miners.copy.id)?.quality).toBeGreaterThan(0);
    const audit = (await operator.request('GET', `/v1/competitions/${competition.id}/audit`)).body as {
      entries: { action: string }[];
    };
    expect(audit.entries.map((e) => e.action)).toEqual(['rescore.job', 'rule.set']);
  });
});
