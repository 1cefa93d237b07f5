// Parity with PyTorch: python/parity.py rebuilds the model from our files and reports float64 loss
// and gradients on the same batch. Python is TUNING_ARENA_PYTHON, else `python3` on PATH, else
// /usr/bin/python3 (the first that imports torch). Skips when none does, unless TUNING_ARENA_REQUIRE_TORCH=1.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createModelConfig } from './config.js';
import { defaultKernels } from './default-kernels.js';
import { createGptRunner } from './gpt-runner.js';
import { saveAdapterDir } from './io/adapter-files.js';
import { saveModelDir } from './io/model-files.js';
import { createReferenceKernels } from './kernels/reference-kernels.js';
import { createLoraAdapter } from './lora.js';
import { cloneModel, createModel } from './model.js';
import { createParamSet, type ParamSet } from './params.js';
import { createRng } from './rng.js';
import { randomFill } from './test-fd.js';
import { findTorchPython, pythonCandidates, torchEnv } from './test-python.js';
import { clipFactor, clipGradNorm, createAdamW, gradNorm } from './train/adamw.js';

const SCRIPT = fileURLToPath(new URL('../python/parity.py', import.meta.url));
const PYTHON = findTorchPython();
const torchFound = PYTHON !== undefined;
const required = process.env.TUNING_ARENA_REQUIRE_TORCH === '1';
const tried = pythonCandidates().join(', ');
if (!torchFound && !required) {
  console.warn(
    `parity tests skipped: none of ${tried} can import torch (set TUNING_ARENA_REQUIRE_TORCH=1 to fail)`,
  );
}

const config = createModelConfig({ nLayer: 2, nEmbd: 32, nHead: 4, nPositions: 16 });
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function fixedBatch() {
  const rng = createRng(42);
  const B = 3;
  const T = 12;
  const tokens = Int32Array.from({ length: B * T }, () => rng.int(260));
  // Loss on the second half of each row only, like answer-masked examples.
  const targets = Int32Array.from({ length: B * T }, (_, i) => (i % T >= 5 ? rng.int(260) : -1));
  return { tokens, targets, batchSize: B, seqLen: T };
}

function rows(a: Int32Array, B: number, T: number): number[][] {
  return Array.from({ length: B }, (_, b) => Array.from(a.subarray(b * T, b * T + T)));
}

interface AdamWRun {
  steps: number;
  lrs: number[];
  weight_decay: number;
  clip: number;
}

async function runTorch(
  modelDir: string,
  batch: ReturnType<typeof fixedBatch>,
  adapterDir?: string,
  adamw?: AdamWRun,
) {
  const batchPath = join(modelDir, 'batch.json');
  const { batchSize: B, seqLen: T } = batch;
  const payload = { tokens: rows(batch.tokens, B, T), targets: rows(batch.targets, B, T), adamw };
  await writeFile(batchPath, JSON.stringify(payload));
  if (PYTHON === undefined) throw new Error(`none of ${tried} can import torch`);
  const out = execFileSync(PYTHON, [SCRIPT, modelDir, batchPath, ...(adapterDir ? [adapterDir] : [])], {
    env: torchEnv(),
    maxBuffer: 1 << 28,
    encoding: 'utf8',
  });
  return JSON.parse(out) as {
    loss: number;
    grads: Record<string, number[]>;
    weights?: Record<string, number[]>;
  };
}

function expectClose(ours: ParamSet, torch: Record<string, number[]>, tolerance = 1e-4): number {
  let worst = 0;
  expect(Object.keys(torch).sort()).toEqual(ours.specs.map((s) => s.name).sort());
  for (const spec of ours.specs) {
    const ref = torch[spec.name]!;
    const got = ours.get(spec.name);
    let maxRef = 0;
    let maxDiff = 0;
    for (let i = 0; i < ref.length; i++) {
      maxRef = Math.max(maxRef, Math.abs(ref[i]!));
      maxDiff = Math.max(maxDiff, Math.abs(ref[i]! - got[i]!));
    }
    const rel = maxDiff / Math.max(maxRef, 1e-12);
    worst = Math.max(worst, rel);
    expect(rel, spec.name).toBeLessThan(tolerance);
  }
  return worst;
}

describe.skipIf(!torchFound && !required)('parity with PyTorch', () => {
  it('finds PyTorch when it is required', () => {
    expect(torchFound, `none of ${tried} can import torch`).toBe(true);
  });

  it('matches loss and every gradient of the full model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-parity-'));
    dirs.push(dir);
    const model = createModel(config, { seed: 9 });
    for (const spec of model.params.specs) {
      if (spec.shape.length === 1) {
        const v = randomFill(model.params.get(spec.name), spec.offset, 0.2);
        if (spec.name.endsWith('.weight')) for (let i = 0; i < v.length; i++) v[i]! += 1;
      }
    }
    await saveModelDir(dir, model);
    const batch = fixedBatch();
    const torch = await runTorch(dir, batch);
    // The reference kernels, and the default ones (WASM SIMD with fused passes when built).
    for (const [name, kernels] of [
      ['reference', createReferenceKernels()],
      ['default', defaultKernels()],
    ] as const) {
      const runner = createGptRunner(kernels, config, { maxBatch: 3, maxSeqLen: 12, training: true });
      const { lossSum, targetCount } = runner.forward(model.params, batch);
      const grads = createParamSet(model.params.specs);
      runner.backward(grads, null, 1 / targetCount);
      runner.release();
      expect(Math.abs(lossSum / targetCount - torch.loss) / torch.loss).toBeLessThan(1e-4);
      const worst = expectClose(grads, torch.grads);
      console.info(
        `parity (full, ${name} kernels ${kernels.name}): loss ${lossSum / targetCount} vs ${torch.loss}, worst grad rel err ${worst.toExponential(2)}`,
      );
    }
  });

  it('matches loss and LoRA gradients of base + adapter', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-parity-'));
    dirs.push(dir);
    const model = createModel(config, { seed: 10 });
    const adapter = createLoraAdapter(
      config,
      { r: 4, alpha: 8, targetModules: ['c_attn', 'c_proj', 'c_fc'] },
      3,
    );
    randomFill(adapter.params.data, 4, 0.1);
    await saveModelDir(dir, model);
    await saveAdapterDir(join(dir, 'adapter'), adapter, { name: dir });
    const batch = fixedBatch();
    const runner = createGptRunner(createReferenceKernels(), config, {
      maxBatch: 3,
      maxSeqLen: 12,
      training: true,
      lora: { sites: adapter.sites, r: 4 },
    });
    const { lossSum, targetCount } = runner.forward(model.params, batch, adapter);
    const grads = createParamSet(adapter.params.specs);
    runner.backward(null, grads, 1 / targetCount);
    const torch = await runTorch(dir, batch, join(dir, 'adapter'));
    expect(Math.abs(lossSum / targetCount - torch.loss) / torch.loss).toBeLessThan(1e-4);
    const worst = expectClose(grads, torch.grads);
    console.info(
      `parity (LoRA): loss ${lossSum / targetCount} vs ${torch.loss}, worst grad rel err ${worst.toExponential(2)}`,
    );
  });

  it('matches three AdamW updates with clipping and decoupled weight decay (loops and fused kernels)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-parity-'));
    dirs.push(dir);
    const initial = createModel(config, { seed: 12 });
    await saveModelDir(dir, initial);
    const batch = fixedBatch();
    const run: AdamWRun = { steps: 3, lrs: [1e-2, 5e-3, 2e-3], weight_decay: 0.1, clip: 0.5 };
    const torch = await runTorch(dir, batch, undefined, run);
    // Ours twice: the plain loops (clip in place, then update) and the trainer's path (norm and update in
    // the default kernels, clip factor folded into the update).
    for (const fused of [false, true]) {
      const model = cloneModel(initial);
      const kernels = fused ? defaultKernels() : undefined;
      const runner = createGptRunner(createReferenceKernels(), config, {
        maxBatch: 3,
        maxSeqLen: 12,
        training: true,
      });
      const grads = createParamSet(model.params.specs);
      const optimizer = createAdamW(model.params, {
        weightDecay: run.weight_decay,
        ...(kernels === undefined ? {} : { kernels }),
      });
      for (let step = 0; step < run.steps; step++) {
        const { targetCount } = runner.forward(model.params, batch);
        grads.data.fill(0);
        runner.backward(grads, null, 1 / targetCount);
        if (fused) {
          const norm = gradNorm(grads.data, kernels);
          optimizer.step(grads, run.lrs[step]!, clipFactor(norm, run.clip));
        } else {
          clipGradNorm(grads.data, run.clip);
          optimizer.step(grads, run.lrs[step]!);
        }
      }
      optimizer.release();
      // Compare the updates (after - before), which is where optimiser mistakes show.
      const before = initial.params.data;
      const deltas = createParamSet(
        model.params.specs,
        model.params.data.map((w, i) => w - before[i]!),
      );
      const torchDeltas: Record<string, number[]> = {};
      for (const spec of model.params.specs) {
        const b = before.subarray(spec.offset, spec.offset + spec.size);
        torchDeltas[spec.name] = torch.weights![spec.name]!.map((w, i) => w - b[i]!);
      }
      const worst = expectClose(deltas, torchDeltas, 1e-3);
      console.info(
        `parity (AdamW x3, ${fused ? 'fused' : 'loops'}): worst relative update error ${worst.toExponential(2)}`,
      );
    }
  });
});
