// Benchmark of the engine trainer's default strategy on one real job: the arena-nano base on a bundled
// dataset split by prepareJob, trained under a time budget and under 10x that budget; prints both held-out
// test losses, their ratio, how early each run stopped and the checkpoints it committed. Run
// `pnpm bench:strategy [--budget 60] [--factor 10] [--dataset country-facts] [--model-dir DIR] [--grid]`.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeExamples, prepareJob } from '@tuning-arena/datasets';
import {
  decodeAdapterFiles,
  decodeModelFiles,
  type Example,
  evaluate,
  type GptModel,
  type LoraAdapter,
  loadModelDir,
} from '@tuning-arena/engine';
import { createEngineTrainer, readExamples } from '../engine-trainer.js';
import { planInputFor } from '../strategy/engine-run.js';
import { planRun } from '../strategy/plan-run.js';
import type { TrainOutput } from '../trainer.js';
import { gridReference } from './grid-reference.js';

const { values } = parseArgs({
  options: {
    budget: { type: 'string', default: '60' },
    factor: { type: 'string', default: '10' },
    dataset: { type: 'string', default: 'country-facts' },
    seed: { type: 'string', default: 'strategy-bench' },
    'model-dir': { type: 'string' },
    /** Also train a 20-point grid to completion and report its best (by validation loss) on the test rows. */
    grid: { type: 'boolean', default: false },
  },
});
const budgetS = Number(values.budget);
const factor = Number(values.factor);
const modelDir = resolve(
  values['model-dir'] ?? join(process.env.ARENA_MODELS_DIR ?? '.arena/models', 'arena-nano'),
);

/** The test loss of a trainer output on `test`. */
function testLoss(base: GptModel, output: TrainOutput, test: readonly Example[]): number {
  if (!('files' in output)) throw new Error('expected in-memory files');
  const file = (name: string) => {
    const found = output.files.find((f) => f.name === name);
    if (!found) throw new Error(`output lacks ${name}`);
    return found.data;
  };
  let model = base;
  let adapter: LoraAdapter | undefined;
  if (output.kind === 'lora') {
    const decoded = decodeAdapterFiles(base.config, {
      config: file('adapter_config.json'),
      weights: file('adapter_model.safetensors'),
    });
    if (!decoded.ok) throw new Error(decoded.error.code);
    adapter = decoded.value.adapter;
  } else {
    const decoded = decodeModelFiles({ config: file('config.json'), weights: file('model.safetensors') });
    if (!decoded.ok) throw new Error(decoded.error.code);
    model = decoded.value.model;
  }
  return evaluate(model, [...test], adapter ? { adapter } : {}).meanLoss;
}

/** Trains once under `seconds` with the default strategy and reports the outcome. */
async function runOnce(dir: string, seconds: number, base: GptModel, test: readonly Example[]) {
  const checkpoints: number[] = [];
  const started = Date.now();
  const deadline = new Date(started + seconds * 1000);
  const output = await createEngineTrainer().train({
    jobId: `bench_${seconds}`,
    baseModelDir: modelDir,
    trainDataPath: join(dir, 'train.jsonl'),
    promptFormat: { promptField: 'prompt', answerField: 'answer', separator: '\n' },
    deadline,
    signal: new AbortController().signal,
    outputDir: join(dir, 'out'),
    onProgress: () => {},
    submitCheckpoint: async () => {
      checkpoints.push((Date.now() - started) / 1000);
      return { ok: true, artifactSha256: '0'.repeat(64) };
    },
  });
  const early = (deadline.getTime() - Date.now()) / 1000;
  return { output, test: testLoss(base, output, test), early, checkpoints };
}

const job = prepareJob({ dataset: values.dataset, seed: values.seed });
const { model: base } = await loadModelDir(modelDir).catch((cause: unknown) => {
  console.error(`no base model in ${modelDir}: run \`pnpm models pretrain arena-nano\` first`);
  throw cause;
});
const dir = await mkdtemp(join(tmpdir(), 'strategy-bench-'));
try {
  await writeFile(join(dir, 'train.jsonl'), encodeExamples(job.train));
  const baseLoss = evaluate(base, [...job.test]).meanLoss;
  console.log(
    `${values.dataset}: ${job.train.length} train rows, ${job.test.length} test rows; base test loss ${baseLoss.toFixed(4)}`,
  );
  const results = [];
  for (const seconds of [budgetS, budgetS * factor]) {
    const r = await runOnce(dir, seconds, base, job.test);
    results.push(r);
    console.log(
      `budget ${seconds}s: test loss ${r.test.toFixed(4)}, returned ${r.early.toFixed(1)}s before the deadline, ` +
        `${r.checkpoints.length} checkpoints at ${r.checkpoints.map((t) => `${t.toFixed(1)}s`).join(', ') || '-'}`,
    );
    console.log(`  ${r.output.kind}: ${r.output.strategyNote}`);
  }
  const [short, long] = results as [(typeof results)[0], (typeof results)[0]];
  console.log(
    `ratio test loss ${budgetS}s / ${budgetS * factor}s = ${(short.test / long.test).toFixed(3)} ` +
      `(improvement over base: ${(baseLoss - short.test).toFixed(4)} vs ${(baseLoss - long.test).toFixed(4)})`,
  );
  if (values.grid) {
    const examples = await readExamples({
      trainDataPath: join(dir, 'train.jsonl'),
      promptFormat: { promptField: 'prompt', answerField: 'answer', separator: '\n' },
    });
    const input = planInputFor(base, examples.length, budgetS * 1000);
    const started = Date.now();
    const grid = await gridReference(base, examples, planRun(input));
    const { model, adapter } = grid.result;
    const loss = evaluate(model, [...job.test], adapter ? { adapter } : {}).meanLoss;
    console.log(
      `grid reference: ${grid.trials} trials in ${((Date.now() - started) / 1000).toFixed(0)}s, best by validation ` +
        `lr ${grid.learningRate.toPrecision(3)} ${grid.epochs} epochs: test loss ${loss.toFixed(4)} ` +
        `(default ${budgetS}s / grid = ${(short.test / loss).toFixed(3)})`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
