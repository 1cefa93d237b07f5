// One miner process of the load benchmark (forked by load-bench.ts, talking to it over IPC): registers its
// share of keys over the operator API, holds one real WebSocket per key through hello -> challenge -> auth,
// accepts every offer and records the time from its `offer.accept` to the `job.start` that follows. It
// trains nothing and connects only to the validator it is given (loopback, spread over 127.0.0.x).

import { performance } from 'node:perf_hooks';
import {
  challengePayload,
  decodeValidatorMessage,
  generateMinerKeyPair,
  type MinerKeyPair,
  PROTOCOL_VERSION,
  signPayload,
} from '@tuning-arena/protocol';
import { WebSocket } from 'ws';

/** What the parent passes (as JSON in argv[2]). */
export interface MinerProcessOptions {
  url: string;
  wsUrl: string;
  token: string;
  competitionId: string;
  /** Index of the first miner of this process (names and source addresses follow from it). */
  first: number;
  count: number;
  /** Source addresses to spread connections over (all in 127.0.0.0/8). */
  localAddresses: string[];
  /** Handshakes in flight at once in this process. */
  concurrency: number;
}

/** Parent -> child commands. */
export type ToMiners = { type: 'register' } | { type: 'connect' } | { type: 'report' } | { type: 'stop' };

/** Child -> parent replies. */
export type FromMiners =
  | { type: 'registered' }
  | { type: 'connected'; connected: number; failed: number }
  | { type: 'report'; latenciesMs: number[]; offers: number; dropped: number }
  | { type: 'failed'; message: string };

const options = JSON.parse(process.argv[2] ?? '{}') as MinerProcessOptions;
const keys: MinerKeyPair[] = [];
const sockets: WebSocket[] = [];
const latencies: number[] = [];
let offers = 0;
let dropped = 0;

const reply = (message: FromMiners) => process.send?.(message);

/** The key pair of this process's `i`-th miner; throws when `register` made fewer. */
function keyOf(i: number): MinerKeyPair {
  const key = keys[i];
  if (!key) throw new Error(`no key pair for miner ${options.first + i}`);
  return key;
}

/** Runs `task` over 0..n-1 with at most `limit` in flight. */
async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
}

async function register(): Promise<void> {
  for (let i = 0; i < options.count; i++) keys.push(generateMinerKeyPair());
  await pool(options.count, 8, async (i) => {
    const name = `m${options.first + i}`;
    const response = await fetch(`${options.url}/v1/competitions/${options.competitionId}/miners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey: keyOf(i).publicKey, owner: name, displayName: name }),
    });
    if (!response.ok) {
      throw new Error(`registering ${name}: HTTP ${response.status} ${await response.text()}`);
    }
  });
}

/** Opens one authenticated connection; resolves once `welcome` arrived. */
function connectOne(i: number): Promise<void> {
  const key = keyOf(i);
  const localAddress = options.localAddresses[(options.first + i) % options.localAddresses.length];
  const ws = new WebSocket(options.wsUrl, { localAddress, perMessageDeflate: false });
  const acceptedAt = new Map<string, number>();
  const send = (message: object) => ws.send(JSON.stringify(message));
  return new Promise<void>((resolve, reject) => {
    let welcomed = false;
    ws.on('open', () =>
      send({
        type: 'hello',
        protocolVersion: PROTOCOL_VERSION,
        minerKey: key.publicKey,
        software: 'load-bench/1',
        capacity: 1,
      }),
    );
    ws.on('message', (data) => {
      const decoded = decodeValidatorMessage(data.toString());
      if (!decoded.ok) return;
      const message = decoded.value;
      switch (message.type) {
        case 'challenge':
          return send({
            type: 'auth',
            signature: signPayload(key.privateKeyPem, challengePayload(message.nonce, key.publicKey)),
          });
        case 'welcome':
          welcomed = true;
          sockets.push(ws);
          return resolve();
        case 'heartbeat':
          return send({ type: 'heartbeat' });
        case 'job.offer':
          offers++;
          acceptedAt.set(message.jobId, performance.now());
          return send({ type: 'offer.accept', jobId: message.jobId });
        case 'job.start': {
          const at = acceptedAt.get(message.jobId);
          acceptedAt.delete(message.jobId);
          if (at !== undefined) latencies.push(performance.now() - at);
          return;
        }
        case 'job.cancel':
          if (acceptedAt.delete(message.jobId)) dropped++;
          return;
        case 'error':
          if (!welcomed) reject(new Error(`handshake refused: ${message.code}`));
          else if (message.ref && acceptedAt.delete(message.ref)) dropped++;
          return;
        default:
          return;
      }
    });
    ws.on('error', (error) => {
      if (!welcomed) reject(error);
    });
    ws.on('close', (code) => {
      if (!welcomed) reject(new Error(`closed ${code} before welcome`));
    });
  });
}

async function connect(): Promise<{ connected: number; failed: number }> {
  let failed = 0;
  await pool(options.count, options.concurrency, (i) => connectOne(i).catch(() => void failed++));
  return { connected: sockets.length, failed };
}

process.on('message', (message: ToMiners) => {
  const run = async () => {
    switch (message.type) {
      case 'register':
        await register();
        return reply({ type: 'registered' });
      case 'connect':
        return reply({ type: 'connected', ...(await connect()) });
      case 'report':
        return reply({ type: 'report', latenciesMs: latencies.splice(0), offers, dropped });
      case 'stop':
        for (const ws of sockets) ws.terminate();
        process.exit(0);
    }
  };
  run().catch((error: Error) => reply({ type: 'failed', message: error.message }));
});
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  reply({ type: 'failed', message: `uncaught: ${error.message}` });
  process.exitCode = 1;
});
