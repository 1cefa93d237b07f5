// A quick end-to-end check that a base model can learn a dataset: prepare a job, fine-tune briefly with the
// engine, and compare test and synthetic losses before and after (and against a random-init model).

import { makeSyntheticSet, prepareJob } from '@tuning-arena/datasets';
import { createModel, evaluate, loadModelDir, train } from '@tuning-arena/engine';
import { ModelError } from './errors.js';
import { locateBaseModel } from './model-store.js';
import { defaultModelsDir } from './models-dir.js';

/** Options of `finetuneCheck`. */
interface FinetuneCheckOptions {
  readonly base: string;
  readonly dataset: string;
  readonly steps?: number;
  readonly method?: 'full' | 'lora';
  readonly seed?: string;
  readonly modelsDir?: string;
}

/** Losses (mean nats per answer token) before and after a short fine-tune. */
interface FinetuneCheckResult {
  readonly trainRows: number;
  readonly testRows: number;
  readonly randomInitTestLoss: number;
  readonly baseTestLoss: number;
  readonly tunedTestLoss: number;
  readonly baseSyntheticLoss: number;
  readonly tunedSyntheticLoss: number;
  readonly steps: number;
  readonly seconds: number;
}

/** Fine-tunes a cached base on a prepared job and reports the losses; the base must be pretrained. */
export async function finetuneCheck(options: FinetuneCheckOptions): Promise<FinetuneCheckResult> {
  const info = await locateBaseModel(options.base, defaultModelsDir(options.modelsDir));
  if (info === undefined)
    throw new ModelError(
      'unknown_model',
      `${options.base} is not pretrained (pnpm models pretrain ${options.base})`,
    );
  const { model } = await loadModelDir(info.dir);
  const seed = options.seed ?? 'finetune-check';
  const job = prepareJob({ dataset: options.dataset, seed });
  const synthetic = (await makeSyntheticSet(job, { seed: `${seed}:synthetic` })).examples;
  const method = options.method ?? 'full';
  const started = Date.now();
  const result = await train(model, job.train, {
    method,
    maxSteps: options.steps ?? 300,
    batchSize: 8,
    learningRate: method === 'lora' ? 3e-3 : 1e-3,
    seed: 1,
  });
  const seconds = (Date.now() - started) / 1000;
  const tuned = { adapter: result.adapter ?? null };
  return {
    trainRows: job.train.length,
    testRows: job.test.length,
    randomInitTestLoss: evaluate(createModel(model.config, { seed: 12345 }), job.test).meanLoss,
    baseTestLoss: evaluate(model, job.test).meanLoss,
    tunedTestLoss: evaluate(result.model, job.test, tuned).meanLoss,
    baseSyntheticLoss: evaluate(model, synthetic).meanLoss,
    tunedSyntheticLoss: evaluate(result.model, synthetic, tuned).meanLoss,
    steps: result.steps,
    seconds: Math.round(seconds * 10) / 10,
  };
}
