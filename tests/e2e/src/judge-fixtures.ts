// Fixtures of the judge's end-to-end tests: a temp root with two independently initialised GPT-2 bases of
// one architecture (the job's base and a known "impostor" base, as the pretrained arena-nano-moby is for
// arena-nano), and a validator with a fast evaluation pool. Real files, real engine; nothing is faked.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModel, createModelConfig, saveModelDir } from '@tuning-arena/engine';
import { createValidator, silentLogger } from '@tuning-arena/validator';
import { OPERATOR_TOKEN } from './fixtures.js';

/** The tiny architecture of the judge tests (random init: any fine-tune beats it clearly). */
export const JUDGE_CONFIG = { preset: 'nano', nLayer: 1, nEmbd: 32, nHead: 2, nPositions: 128 } as const;

/** A temp root with `models/judge-gpt2` and `models/judge-gpt2-other`, removed on dispose. */
export async function createTempRoot() {
  const root = await mkdtemp(join(tmpdir(), 'arena-judge-'));
  const config = createModelConfig(JUDGE_CONFIG);
  await saveModelDir(join(root, 'models', 'judge-gpt2'), createModel(config, { seed: 1 }));
  await saveModelDir(join(root, 'models', 'judge-gpt2-other'), createModel(config, { seed: 99 }));
  return {
    root,
    config: JUDGE_CONFIG,
    [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }),
  };
}

/** A validator over `root` with short timings and one evaluation loop; dispose closes it. */
export async function startJudgeValidator(root: string) {
  const validator = createValidator({
    dataDir: join(root, 'validator'),
    modelsDir: join(root, 'models'),
    datasetDir: join(root, 'datasets'),
    operatorToken: OPERATOR_TOKEN,
    offerTtlSeconds: 20,
    heartbeatIntervalMs: 1000,
    uploadGraceSeconds: 3,
    evaluation: { poolSize: 1, leaseMs: 30_000, maxAttempts: 2 },
    logger: silentLogger,
  });
  const address = await validator.start();
  return Object.assign(validator, address);
}
