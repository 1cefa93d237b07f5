// Test-only helpers for artifact uploads (excluded from the build): an arena with an uploading miner and a
// bystander that both accepted a running job, a raw node:http PUT whose body the test writes chunk by chunk
// (to stall, trickle or abort it), and a look at the temp files an upload may leave in `.incoming`.

import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { encodeBundle } from '@tuning-arena/protocol';
import { expect } from 'vitest';
import type { ValidatorConfig } from './config.js';
import { createLogger } from './logger.js';
import { createJob, registerMiner, signedSubmit, startCompetition, type TestMiner } from './test-fixtures.js';

/** A bundle with one file of `dataBytes` bytes, and its sha256. */
export function testBundle(dataBytes: number, fill = 7): { bytes: Buffer; sha: string } {
  const bytes = Buffer.from(
    encodeBundle([{ name: 'adapter_model.safetensors', data: new Uint8Array(dataBytes).fill(fill) }]),
  );
  return { bytes, sha: createHash('sha256').update(bytes).digest('hex') };
}

/** The sha256 of some bytes. */
export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A running job accepted by `uploader` and `bystander`, with the validator's warn lines captured. */
export async function uploadArena(root: string, overrides: Partial<ValidatorConfig> = {}) {
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => logLines.push(JSON.parse(line)) });
  const base = await startCompetition(root, { logger, ...overrides });
  const uploader = await registerMiner(base, 'uploader');
  const bystander = await registerMiner(base, 'bystander');
  const job = await createJob(base, { timeLimitSeconds: 60, minersWanted: 2 });
  for (const miner of [uploader, bystander]) {
    await miner.next('job.offer');
    miner.send({ type: 'offer.accept', jobId: job.id });
  }
  for (const miner of [uploader, bystander]) await miner.next('job.start');
  const incomingDir = join(root, 'data', 'artifacts', '.incoming');
  return {
    ...base,
    job,
    uploader,
    bystander,
    logLines,
    /** Commits `sha` for the job as `miner` (default the uploader). */
    commit: async (sha: string, miner: TestMiner = uploader) => {
      const before = miner.received.length;
      miner.send(signedSubmit(miner, job.id, sha));
      await miner.next('submit.ack', (m) => miner.received.indexOf(m) >= before);
    },
    /** Names of the temp files in `artifacts/.incoming`. */
    incoming: () => readdir(incomingDir).catch(() => [] as string[]),
    incomingDir,
    /** How many `limit.<name>` lines were logged. */
    limitLines: (name: string) => logLines.filter((line) => line.event === `limit.${name}`).length,
    /** The bystander still gets an answer over its WebSocket within 2 s; gives the latency in ms. */
    bystanderServed: async () => {
      const started = performance.now();
      const before = bystander.received.length;
      bystander.send({ type: 'offer.accept', jobId: 'job_none' });
      const answer = await Promise.race([
        bystander.next('error', (m) => bystander.received.indexOf(m) >= before),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('bystander stalled')), 2_000)),
      ]);
      expect(answer.code).toBe('offer_not_pending');
      return performance.now() - started;
    },
    [Symbol.asyncDispose]: async () => {
      await uploader[Symbol.asyncDispose]();
      await bystander[Symbol.asyncDispose]();
      await base.validator.close();
    },
  };
}

/** What a raw upload got back: status and error code (or `undefined` when the socket closed unanswered). */
interface RawAnswer {
  status: number | undefined;
  code: string | undefined;
}

/** A PUT of `/v1/artifacts/<sha>` over its own TCP connection, body written by the test. */
export function rawPut(baseUrl: string, sha: string, token: string, contentLength?: number) {
  const req = request(new URL(`/v1/artifacts/${sha}`, baseUrl), {
    method: 'PUT',
    agent: false,
    headers: {
      authorization: `Bearer ${token}`,
      ...(contentLength === undefined ? {} : { 'content-length': String(contentLength) }),
    },
  });
  const answer = new Promise<RawAnswer>((resolve) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? (JSON.parse(text) as { error?: { code?: string } }) : {};
        resolve({ status: res.statusCode, code: body.error?.code });
      });
      res.on('error', () => resolve({ status: res.statusCode, code: undefined }));
    });
    req.on('error', () => resolve({ status: undefined, code: undefined }));
    req.on('close', () => resolve({ status: undefined, code: undefined }));
  });
  const closed = new Promise<void>((resolve) => req.on('close', () => resolve()));
  req.flushHeaders();
  return {
    answer,
    closed,
    write: (chunk: Uint8Array) =>
      new Promise<void>((resolve) => {
        if (!req.write(chunk)) req.once('drain', () => resolve());
        else resolve();
      }),
    end: (chunk?: Uint8Array) => {
      req.end(chunk);
      return answer;
    },
    abort: () => req.destroy(),
  };
}
