import { join } from 'node:path';
import { encodeModelFiles, evaluate, toHfConfig, toPeftConfig } from '@tuning-arena/engine';
import type { BundleFile } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import type { ArtifactKind } from './artifact-limits.js';
import {
  evaluateBase,
  evaluateSubmission,
  type LoadedJob,
  loadJob,
  type SubmissionInput,
} from './evaluate-submission.js';
import { decodeExampleLosses, encodeExampleLosses } from './facts.js';
import { createEngineEvaluator, type ModelEvaluator } from './model-evaluator.js';
import {
  changedAdapter,
  entriesOf,
  fullFiles,
  hugeHeaderSafetensors,
  jsonBytes,
  loraFiles,
  nudged,
  TINY,
  tempDir,
  tinyModel,
  tinySets,
  withFile,
  writeBase,
  writeBundle,
} from './test-artifacts.js';

/** An engine evaluator that counts its calls (hostile artifacts must never reach it). */
function countingEvaluator(): ModelEvaluator & { calls: number } {
  const inner = createEngineEvaluator();
  const counter = {
    family: 'gpt2' as const,
    calls: 0,
    evaluate: (...args: Parameters<ModelEvaluator['evaluate']>) => {
      counter.calls++;
      return inner.evaluate(...args);
    },
  };
  return counter;
}

async function setUp(dir: string) {
  const baseModel = tinyModel(1);
  const base = await writeBase(join(dir, 'base'), baseModel, 'tiny-a');
  const other = await writeBase(join(dir, 'other'), tinyModel(2), 'tiny-b');
  const evaluator = countingEvaluator();
  const job = await loadJob(
    { base, otherBases: [other], sets: tinySets(), workDir: join(dir, 'work') },
    evaluator,
  );
  return { baseModel, job, evaluator, workDir: join(dir, 'work') };
}

function input(artifactPath: string, artifactKind: ArtifactKind, minerId = 'm1'): SubmissionInput {
  return {
    minerId,
    artifactSha256: 'f'.repeat(64),
    artifactKind,
    artifactPath,
    uploaded: true,
    committedAt: '2026-12-01T10:00:00.000Z',
    deadline: '2026-12-01T10:05:00.000Z',
    firstCommittedAt: '2026-12-01T10:00:00.000Z',
  };
}

async function submit(job: LoadedJob, dir: string, kind: ArtifactKind, files: BundleFile[], minerId = 'm1') {
  const path = await writeBundle(dir, files, `${minerId}.bundle`);
  return evaluateSubmission(job, input(path, kind, minerId));
}

describe('evaluateBase', () => {
  it('gives the engine’s losses of the untouched base', async () => {
    await using tmp = await tempDir();
    const { baseModel, job } = await setUp(tmp.path);
    const result = await evaluateBase(job);
    const direct = evaluate(baseModel, job.sets.test);
    expect(result.facts).toMatchObject({ modelId: 'tiny-a', losses: { test: direct.meanLoss } });
    expect(Array.from(result.exampleLosses.test)).toEqual(
      Array.from(Float32Array.from(direct.exampleLosses)),
    );
    expect(result.facts.losses.synthetic).toBe(evaluate(baseModel, job.sets.synthetic).meanLoss);
    expect(result.facts.losses.trainSample).toBe(evaluate(baseModel, job.sets.trainSample).meanLoss);
  });
});

describe('evaluateSubmission', () => {
  it('scores a LoRA as the engine does, with its weight facts', async () => {
    await using tmp = await tempDir();
    const { baseModel, job, workDir } = await setUp(tmp.path);
    const adapter = changedAdapter();
    const result = await submit(job, tmp.path, 'lora', loraFiles(adapter));
    const { facts } = result;
    expect(facts.format).toMatchObject({ ok: true, loraRank: 4, targetModules: ['c_attn', 'c_proj'] });
    for (const set of ['test', 'synthetic', 'trainSample'] as const) {
      const direct = evaluate(baseModel, job.sets[set], { adapter });
      expect(facts.losses?.[set]).toBe(direct.meanLoss);
      expect(Array.from(result.exampleLosses![set])).toEqual(
        Array.from(Float32Array.from(direct.exampleLosses)),
      );
    }
    expect(facts.losses!.test).not.toBe(evaluate(baseModel, job.sets.test).meanLoss);
    expect(facts.weights).toMatchObject({ configMatches: true });
    expect(facts.weights!.relativeDistance).toBeGreaterThan(0);
    expect(facts.weights!.otherBases.map((o) => o.modelId)).toEqual(['tiny-b']);
    expect(facts.weights!.deltaSketch).toHaveLength(256);
    expect(decodeExampleLosses(encodeExampleLosses(result.exampleLosses!))).toEqual(result.exampleLosses);
    expect(await entriesOf(workDir)).toEqual([]);
  });

  it('scores full weights as the engine does', async () => {
    await using tmp = await tempDir();
    const { baseModel, job } = await setUp(tmp.path);
    const model = nudged(baseModel);
    const { facts, exampleLosses } = await submit(job, tmp.path, 'full', fullFiles(model));
    expect(facts.format).toMatchObject({ ok: true, parameters: model.params.data.length });
    const direct = evaluate(model, job.sets.test);
    expect(facts.losses?.test).toBe(direct.meanLoss);
    expect(Array.from(exampleLosses!.test)).toEqual(Array.from(Float32Array.from(direct.exampleLosses)));
    expect(facts.weights!.minTensorCosine).toBeLessThan(1);
  });

  const lora = loraFiles(changedAdapter());
  const full = fullFiles(tinyModel(1));
  const wide = { ...TINY, nEmbd: 32 };
  const hostile: [string, ArtifactKind, BundleFile[], string][] = [
    ['the other kind’s files', 'lora', full, 'unexpected_file'],
    [
      'a text file named like a safetensors file',
      'full',
      withFile(full, 'model.safetensors', new TextEncoder().encode('plain text, no tensors here')),
      'safetensors_header_too_large',
    ],
    [
      'a header length of 2^64 − 1',
      'lora',
      withFile(lora, 'adapter_model.safetensors', hugeHeaderSafetensors()),
      'safetensors_header_too_large',
    ],
    [
      'tensor shapes of another architecture',
      'full',
      withFile(full, 'model.safetensors', encodeModelFiles(tinyModel(1, wide)).weights),
      'shape_mismatch',
    ],
    [
      'a LoRA above the rank limit',
      'lora',
      withFile(
        lora,
        'adapter_config.json',
        jsonBytes(toPeftConfig({ r: 65, alpha: 8, targetModules: ['c_attn'] })),
      ),
      'lora_rank_too_large',
    ],
    [
      'a LoRA targeting unknown modules',
      'lora',
      withFile(
        lora,
        'adapter_config.json',
        jsonBytes(toPeftConfig({ r: 4, alpha: 8, targetModules: ['k_proj'] })),
      ),
      'unknown_target_module',
    ],
    [
      'a full model with another config',
      'full',
      withFile(full, 'config.json', jsonBytes(toHfConfig(wide))),
      'config_mismatch',
    ],
    ['too many files', 'full', withFile(full, 'extra.safetensors', new Uint8Array(8)), 'too_many_files'],
  ];

  for (const [what, kind, files, code] of hostile) {
    it(`refuses ${what} with ${code}, computes nothing and leaves no files`, async () => {
      await using tmp = await tempDir();
      const { job, evaluator, workDir } = await setUp(tmp.path);
      const { facts, exampleLosses } = await submit(job, tmp.path, kind, files);
      expect(facts.format).toMatchObject({ ok: false, code });
      expect(facts.losses).toBeUndefined();
      expect(facts.weights).toBeUndefined();
      expect(exampleLosses).toBeUndefined();
      expect(evaluator.calls).toBe(0);
      expect(await entriesOf(workDir)).toEqual([]);
    });
  }

  it('refuses a LoRA whose merged weights overflow (non_finite_weights) before scoring', async () => {
    await using tmp = await tempDir();
    const { job, evaluator } = await setUp(tmp.path);
    const huge = changedAdapter();
    huge.params.data.fill(1e30);
    const { facts } = await submit(job, tmp.path, 'lora', loraFiles(huge));
    expect(facts.format, facts.format.detail).toMatchObject({ ok: false, code: 'non_finite_weights' });
    expect(evaluator.calls).toBe(0);
  });

  it('refuses a LoRA scale that can only overflow (lora_scale_too_large)', async () => {
    await using tmp = await tempDir();
    const { job, evaluator } = await setUp(tmp.path);
    const files = withFile(
      lora,
      'adapter_config.json',
      jsonBytes(toPeftConfig({ r: 4, alpha: 1e38, targetModules: ['c_attn', 'c_proj'] })),
    );
    const { facts } = await submit(job, tmp.path, 'lora', files);
    expect(facts.format).toMatchObject({ ok: false, code: 'lora_scale_too_large' });
    expect(evaluator.calls).toBe(0);
  });

  it('records a submission that was never uploaded as not_uploaded', async () => {
    await using tmp = await tempDir();
    const { job } = await setUp(tmp.path);
    const { facts } = await evaluateSubmission(job, { ...input('/nonexistent', 'lora'), uploaded: false });
    expect(facts).toMatchObject({ uploaded: false, format: { ok: false, code: 'not_uploaded' } });
  });

  it('turns an evaluator crash into evaluation_failed and still cleans up', async () => {
    await using tmp = await tempDir();
    const { job, workDir } = await setUp(tmp.path);
    const crashing: ModelEvaluator = {
      family: 'gpt2',
      evaluate: async () => {
        throw new Error('out of memory');
      },
    };
    const { facts } = await submit({ ...job, evaluator: crashing }, tmp.path, 'lora', lora);
    expect(facts.format).toMatchObject({ ok: false, code: 'evaluation_failed' });
    expect(await entriesOf(workDir)).toEqual([]);
  });
});
