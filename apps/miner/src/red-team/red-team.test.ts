import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BYTE_TOKENIZER,
  createModel,
  createModelConfig,
  decodeModelFiles,
  decodeSafetensors,
  loadModelDir,
  saveModelDir,
} from '@tuning-arena/engine';
import { type BundleFile, encodeBundle, sha256Hex } from '@tuning-arena/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trainer, TrainOutput } from '../trainer.js';
import { createRedTeamTrainer, RED_TEAM_NAMES, type RedTeamOptions } from './index.js';
import { perturbFiles } from './perturbed-copy.js';
import { fullModelFiles } from './red-team-files.js';

const config = createModelConfig({ preset: 'nano', nPositions: 32, nLayer: 1, nEmbd: 16, nHead: 2 });
const promptFormat = { promptField: 'prompt', answerField: 'answer', separator: '\n' };
const engine = { inWorker: false, batchSize: 4, maxSteps: 2 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'red-team-'));
  await saveModelDir(join(dir, 'base'), createModel(config, { seed: 1 }), BYTE_TOKENIZER, 'tiny');
  await saveModelDir(join(dir, 'other'), createModel(config, { seed: 2 }), BYTE_TOKENIZER, 'tiny-other');
  const rows = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({ prompt: `${i}+1=`, answer: `${i + 1}` }),
  );
  await writeFile(join(dir, 'train.jsonl'), `${rows.join('\n')}\n`);
  await writeFile(join(dir, 'leak-job_1.jsonl'), '{"prompt":"secret=","answer":"42"}\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const request = (jobId = 'job_1') => ({
  jobId,
  baseModelDir: join(dir, 'base'),
  trainDataPath: join(dir, 'train.jsonl'),
  promptFormat,
  deadline: new Date(Date.now() + 30_000),
  signal: new AbortController().signal,
  outputDir: join(dir, jobId, 'output'),
  onProgress: () => {},
});

function trainer(name: string, options: RedTeamOptions = {}): Trainer {
  const made = createRedTeamTrainer(name, { engine, ...options });
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
}

const files = (output: TrainOutput): BundleFile[] => {
  if (!('files' in output)) throw new Error('expected files');
  return output.files;
};
const file = (list: BundleFile[], name: string) => list.find((f) => f.name === name)!.data;
const weightsOf = (list: BundleFile[]) => {
  const decoded = decodeModelFiles({
    config: file(list, 'config.json'),
    weights: file(list, 'model.safetensors'),
  });
  if (!decoded.ok) throw new Error(decoded.error.code);
  return decoded.value;
};

describe('red team', () => {
  it('names every strategy and refuses an unknown one or a missing option', () => {
    expect(RED_TEAM_NAMES).toEqual([
      'duplicate',
      'perturbed-copy',
      'impostor',
      'blend',
      'base',
      'test-leak',
      'public-source',
      'lazy',
    ]);
    expect(createRedTeamTrainer('nope')).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    for (const name of ['duplicate', 'perturbed-copy', 'impostor', 'blend', 'test-leak']) {
      expect(createRedTeamTrainer(name)).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    }
  });

  it('base resubmits the base weights byte for byte', async () => {
    const output = await trainer('base').train(request());
    expect(output.kind).toBe('full');
    expect(file(files(output), 'model.safetensors')).toEqual(
      await readFile(join(dir, 'base', 'model.safetensors')),
    );
  });

  it("impostor submits the other base's weights under the requested base's name", async () => {
    const output = files(
      await trainer('impostor', { impostorModelDir: join(dir, 'other') }).train(request()),
    );
    const other = await loadModelDir(join(dir, 'other'));
    expect(weightsOf(output).model.params.data).toEqual(other.model.params.data);
    expect(weightsOf(output).name).toBe('tiny');
  });

  it('blend mixes 0.8 of the base with 0.2 of the impostor', async () => {
    const output = files(await trainer('blend', { impostorModelDir: join(dir, 'other') }).train(request()));
    const base = (await loadModelDir(join(dir, 'base'))).model.params.data;
    const other = (await loadModelDir(join(dir, 'other'))).model.params.data;
    const mixed = weightsOf(output).model.params.data;
    for (const i of [0, 7, mixed.length - 1])
      expect(mixed[i]).toBeCloseTo(0.8 * base[i]! + 0.2 * other[i]!, 5);
  });

  it('duplicate trains once and hands the same artifact to a second miner and a second job', async () => {
    const stashDir = join(dir, 'stash');
    const first = files(await trainer('duplicate', { stashDir }).train(request('job_1')));
    // Another seed: only the stash can make the second artifact equal the first.
    const second = files(
      await trainer('duplicate', { stashDir, engine: { ...engine, seed: 99 } }).train(request('job_2')),
    );
    expect(sha256Hex(encodeBundle(second))).toBe(sha256Hex(encodeBundle(first)));
  });

  it('perturbed-copy changes every weight by about the noise, keeping the copy near-identical', () => {
    const base = fullModelFiles(createModel(config, { seed: 3 }));
    const copy = perturbFiles(base, 1e-3, 7);
    const before = decodeSafetensors(file(base, 'model.safetensors'));
    const after = decodeSafetensors(file(copy, 'model.safetensors'));
    if (!before.ok || !after.ok) throw new Error('decode');
    for (const [name, tensor] of before.value.tensors) {
      const a = tensor.data!;
      const b = after.value.tensors.get(name)!.data!;
      const changed = a.filter((value, i) => value !== 0 && value !== b[i]).length;
      expect(changed).toBe(a.filter((value) => value !== 0).length);
      for (let i = 0; i < a.length; i++)
        expect(Math.abs(b[i]! - a[i]!)).toBeLessThanOrEqual(Math.abs(a[i]!) * 1e-2);
    }
    expect(file(copy, 'config.json')).toBe(file(base, 'config.json'));
  });

  it('test-leak trains on the train split plus the leaked rows, repeated', async () => {
    const leakFile = join(dir, 'leak-{jobId}.jsonl');
    await trainer('test-leak', { leakFile, leakRepeats: 3 }).train(request('job_1'));
    const used = await readFile(join(dir, 'job_1', 'red-team-leaked.jsonl'), 'utf8');
    expect(used.split('\n').filter((line) => line.includes('secret='))).toHaveLength(3);
    expect(used).toContain('"11+1="');
  });

  it('lazy stops after a handful of steps', async () => {
    const output = await trainer('lazy', { engine: { inWorker: false, batchSize: 4 }, lazySteps: 3 }).train(
      request(),
    );
    expect(output.strategyNote).toMatch(/^.*\b3 steps\b/);
  });
});
