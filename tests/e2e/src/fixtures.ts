// Fixtures of the end-to-end tests: a temp root with a tiny Hugging Face-style model dir and a JSONL
// dataset, a real validator on 127.0.0.1:0 over a real SQLite file, the typed operator client, and real
// miner daemons registered with the validator. Nothing here fakes the wire.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArenaClient, createArenaClient } from '@tuning-arena/client';
import { createModel, createModelConfig, saveModelDir } from '@tuning-arena/engine';
import {
  type AcceptPolicy,
  createMiner,
  generateKeyFiles,
  type Miner,
  type Trainer,
} from '@tuning-arena/miner';
import { createValidator, silentLogger } from '@tuning-arena/validator';

/** Operator token of the test validators. */
export const OPERATOR_TOKEN = 'e2e-operator-token-0123456789';

/** A temp root with a tiny real GPT-2 in `models/tiny-gpt2` and `datasets/sums.jsonl`, removed on dispose. */
export async function createTempRoot() {
  const root = await mkdtemp(join(tmpdir(), 'arena-e2e-'));
  // A real (randomly initialised) GPT-2 saved the Hugging Face way by the engine.
  const config = createModelConfig({ preset: 'nano', nLayer: 1, nEmbd: 8, nHead: 2, nPositions: 16 });
  await saveModelDir(join(root, 'models', 'tiny-gpt2'), createModel(config, { seed: 1 }));
  await mkdir(join(root, 'datasets'));
  const rows = Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({ prompt: `${i} + ${i} =`, answer: `${2 * i}` }),
  );
  await writeFile(join(root, 'datasets', 'sums.jsonl'), `${rows.join('\n')}\n`);
  return { root, [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }) };
}

/** Starts a validator with short timings over `root`; dispose closes it. */
export async function startValidator(root: string) {
  const validator = createValidator({
    dataDir: join(root, 'validator'),
    modelsDir: join(root, 'models'),
    datasetDir: join(root, 'datasets'),
    operatorToken: OPERATOR_TOKEN,
    offerTtlSeconds: 20,
    heartbeatIntervalMs: 1000,
    uploadGraceSeconds: 20,
    logger: silentLogger,
  });
  const address = await validator.start();
  return Object.assign(validator, address);
}

/** The typed operator client of a test validator. */
export function operatorClient(url: string): ArenaClient {
  return createArenaClient({ baseUrl: url, token: OPERATOR_TOKEN });
}

/** An operator client. */
export type OperatorClient = ArenaClient;

/** How to start one test miner. */
export interface TestMinerOptions {
  name: string;
  /** The owner it is registered for (default: its name). */
  owner?: string;
  root: string;
  /** Where the miner connects (the validator, or a proxy in front of it). */
  validatorUrl: string;
  operator: OperatorClient;
  competitionId: string;
  trainer: Trainer;
  capacity?: number;
  minTimeLimitSeconds?: number;
  acceptPolicy?: AcceptPolicy;
}

/** Generates a key, registers it with the operator and starts a real miner daemon; dispose stops it. */
export async function startMiner(
  options: TestMinerOptions,
): Promise<Miner & { id: string; dataDir: string }> {
  const dataDir = join(options.root, `miner-${options.name}`);
  const identity = await generateKeyFiles(dataDir);
  const registered = await options.operator.miners.register(options.competitionId, {
    publicKey: identity.publicKey,
    owner: options.owner ?? options.name,
    displayName: options.name,
  });
  const miner = createMiner({
    validatorUrl: options.validatorUrl,
    dataDir,
    trainer: options.trainer,
    capacity: options.capacity ?? 1,
    minTimeLimitSeconds: options.minTimeLimitSeconds ?? 1,
    ...(options.acceptPolicy === undefined ? {} : { acceptPolicy: options.acceptPolicy }),
    backoff: { initialMs: 100, maxMs: 1000 },
    progressIntervalMs: 100,
    submitTimeoutMs: 5000,
  });
  await miner.start();
  return Object.assign(miner, { id: registered.id, dataDir });
}
