// Test-only helpers (excluded from the build): temp dirs with a tiny HF-style model and a JSONL dataset,
// an in-process validator on 127.0.0.1:0, an operator HTTP client, and a scripted miner over real WebSockets.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArenaClient } from '@tuning-arena/client';
import {
  type ArtifactKind,
  challengePayload,
  decodeValidatorMessage,
  generateMinerKeyPair,
  type MinerKeyPair,
  PROTOCOL_VERSION,
  signPayload,
  submissionPayload,
  type ValidatorMessage,
} from '@tuning-arena/protocol';
import { WebSocket } from 'ws';
import { composeValidator } from './compose.js';
import { portsFor } from './compose-ports.js';
import { resolveConfig, type ValidatorConfig } from './config.js';
import { openDb } from './db/open-db.js';
import { writeDataset, writeTinyModel } from './fixture-files.js';
import { silentLogger } from './logger.js';
import { createValidator, type ListeningAddress, type Validator } from './validator.js';

export { fakeSafetensors, writeDataset, writeTinyModel } from './fixture-files.js';

/** Operator token used by the tests. */
export const TEST_TOKEN = 'test-operator-token-0123456789';

/** A temp directory with a model `tiny` and a dataset `sums`, removed on dispose. */
export async function createTempDirs(): Promise<{ root: string; [Symbol.asyncDispose](): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'arena-validator-'));
  await writeTinyModel(join(root, 'models'), 'tiny');
  await writeDataset(join(root, 'datasets'), 'sums', 50);
  return { root, [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }) };
}

/** Validator config over a temp root, with short timings. */
export function testConfig(root: string, overrides: Partial<ValidatorConfig> = {}): ValidatorConfig {
  return {
    dataDir: join(root, 'data'),
    modelsDir: join(root, 'models'),
    datasetDir: join(root, 'datasets'),
    operatorToken: TEST_TOKEN,
    offerTtlSeconds: 5,
    heartbeatIntervalMs: 1000,
    uploadGraceSeconds: 5,
    logger: silentLogger,
    ...overrides,
  };
}

/** Starts an in-process validator; dispose closes it. */
export async function startValidator(config: ValidatorConfig): Promise<Validator & ListeningAddress> {
  const validator = createValidator(config);
  const address = await validator.start();
  return Object.assign(validator, address);
}

/** A tiny operator client: JSON in, `{ status, body }` out. */
export function operatorClient(url: string, token: string = TEST_TOKEN) {
  // The raw side of the one operator client: tests look at statuses and error bodies themselves.
  const { request } = createArenaClient({ baseUrl: url, token });
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected loosely
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> =>
    request(method, path, body);
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body ?? {}),
  };
}

/** A scripted miner over a real WebSocket that records every frame it receives. */
export interface TestMiner {
  keys: MinerKeyPair;
  ws: WebSocket;
  received: ValidatorMessage[];
  closeCode: number | undefined;
  sessionToken: string | undefined;
  sendRaw(raw: string): void;
  send(message: object): void;
  /** Resolves with the first received frame (from index `from`) matching `type` and `pred`. */
  next<T extends ValidatorMessage['type']>(
    type: T,
    pred?: (m: Extract<ValidatorMessage, { type: T }>) => boolean,
  ): Promise<Extract<ValidatorMessage, { type: T }>>;
  /** hello -> challenge -> auth -> welcome. */
  authenticate(capacity?: number): Promise<void>;
  closed(): Promise<number>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Opens a miner connection with the given (or fresh) keys. */
export async function connectMiner(
  wsUrl: string,
  keys: MinerKeyPair = generateMinerKeyPair(),
): Promise<TestMiner> {
  const ws = new WebSocket(wsUrl);
  const received: ValidatorMessage[] = [];
  const waiters: (() => void)[] = [];
  let closeCode: number | undefined;
  const closedPromise = new Promise<number>((resolve) =>
    ws.on('close', (code) => {
      closeCode = code;
      resolve(code);
      for (const wake of waiters.splice(0)) wake();
    }),
  );
  ws.on('message', (data) => {
    const decoded = decodeValidatorMessage(data.toString());
    if (!decoded.ok) throw new Error(`validator sent an invalid frame: ${decoded.error.message}`);
    received.push(decoded.value);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const miner: TestMiner = {
    keys,
    ws,
    received,
    get closeCode() {
      return closeCode;
    },
    sessionToken: undefined,
    sendRaw: (raw) => ws.send(raw),
    send: (message) => ws.send(JSON.stringify(message)),
    next: async (type, pred) => {
      for (;;) {
        const found = received.find((m) => m.type === type && (!pred || pred(m as never)));
        if (found) return found as never;
        if (closeCode !== undefined) throw new Error(`connection closed (${closeCode}) before ${type}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    authenticate: async (capacity = 1) => {
      miner.send({
        type: 'hello',
        protocolVersion: PROTOCOL_VERSION,
        minerKey: keys.publicKey,
        software: 'test/1',
        capacity,
      });
      const { nonce } = await miner.next('challenge');
      miner.send({
        type: 'auth',
        signature: signPayload(keys.privateKeyPem, challengePayload(nonce, keys.publicKey)),
      });
      miner.sessionToken = (await miner.next('welcome')).sessionToken;
    },
    closed: () => closedPromise,
    [Symbol.asyncDispose]: async () => {
      if (closeCode === undefined) {
        ws.close();
        await closedPromise;
      }
    },
  };
  return miner;
}

/** The HTTP app over an in-memory database (no sockets), for `app.request()` tests. */
export async function createTestApp(root: string, overrides: Partial<ValidatorConfig> = {}) {
  const config = testConfig(root, overrides);
  const resolved = resolveConfig(config);
  const db = await openDb(':memory:');
  const composition = composeValidator(db, resolved, portsFor(config, resolved));
  const request = (method: string, path: string, body?: unknown, token: string | null = TEST_TOKEN) =>
    composition.app.request(path, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return {
    ...composition,
    db,
    request,
    [Symbol.asyncDispose]: async () => {
      composition.programs.stop();
      composition.scheduler.stop();
      await composition.programs.idle();
      await composition.queue.idle();
      await db.destroy();
    },
  };
}

/** A started validator with one competition and an operator client. */
export async function startCompetition(root: string, overrides: Partial<ValidatorConfig> = {}) {
  const validator = await startValidator(testConfig(root, overrides));
  const operator = operatorClient(validator.url);
  const competition = (await operator.post('/v1/competitions', { name: 'cup' })).body;
  return { validator, operator, competition };
}

/** Connects a miner, registers its key for `owner` and (unless told not to) authenticates it. */
export async function registerMiner(
  arena: Awaited<ReturnType<typeof startCompetition>>,
  owner: string,
  options: { capacity?: number; authenticate?: boolean } = {},
): Promise<TestMiner & { id: string }> {
  const miner = await connectMiner(arena.validator.wsUrl);
  const row = await arena.operator.post(`/v1/competitions/${arena.competition.id}/miners`, {
    publicKey: miner.keys.publicKey,
    owner,
    displayName: owner,
  });
  if (options.authenticate ?? true) await miner.authenticate(options.capacity);
  return Object.assign(miner, { id: row.body.id as string });
}

/** A `job.submit` frame signed by `signer` (default: the miner itself) for the miner's key. */
export function signedSubmit(
  miner: TestMiner,
  jobId: string,
  sha: string,
  options: { kind?: ArtifactKind; note?: string; signer?: MinerKeyPair } = {},
) {
  const kind = options.kind ?? 'lora';
  return {
    type: 'job.submit',
    jobId,
    artifactSha256: sha,
    artifactKind: kind,
    strategyNote: options.note ?? 'n',
    signature: signPayload(
      (options.signer ?? miner.keys).privateKeyPem,
      submissionPayload(jobId, miner.keys.publicKey, sha, kind),
    ),
  };
}

/** Waits for the miner's offer of `jobId`, accepts it, and waits until the job starts for it. */
export async function acceptJob(miner: TestMiner, jobId: string): Promise<void> {
  await miner.next('job.offer', (m) => m.jobId === jobId);
  miner.send({ type: 'offer.accept', jobId });
  await miner.next('job.start', (m) => m.jobId === jobId);
}

/** Creates a job on the tiny test model and the `sums` dataset; returns the API's JobView. */
export async function createJob(
  arena: Awaited<ReturnType<typeof startCompetition>>,
  settings: { timeLimitSeconds: number; minersWanted: number; offerTtlSeconds?: number },
) {
  const response = await arena.operator.post(`/v1/competitions/${arena.competition.id}/jobs`, {
    model: 'tiny',
    dataset: 'sums',
    ...settings,
  });
  return response.body;
}
