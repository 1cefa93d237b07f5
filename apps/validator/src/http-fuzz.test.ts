// Fuzzes the validator's socket entry points with raw TCP: random and hostile request targets, methods and
// headers, with and without a WebSocket upgrade, sent to a real validator. Whatever arrives, the process
// must stay up and keep serving: after every batch, a health check and a connected bystander miner answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawRequest } from './gateway/test-attack-kit.js';
import { createJob, createTempDirs, registerMiner, startCompetition } from './test-fixtures.js';

const TARGETS = [
  '//',
  '///',
  '//@',
  'http://',
  '//:99999',
  '/v1/ws',
  '//v1/ws',
  '/v1/ws?x=%zz',
  '*',
  '%',
  '/%00',
];
const upgradeHeaders = [
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
];

const target = fc.oneof(
  fc.constantFrom(...TARGETS),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => s.replace(/[\r\n ]/g, '')),
  fc.string({ maxLength: 20 }).map((s) => `//${encodeURIComponent(s)}`),
  fc.webUrl(),
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'G\u00e9T', 'PATCH');
const header = fc.oneof(
  fc.constantFrom(
    'Host: ',
    'Host: [::1',
    'Content-Length: -1',
    'Content-Length: 99999999999999999999',
    'Transfer-Encoding: chunked',
    'Sec-WebSocket-Version: 99',
    'Sec-WebSocket-Key: x',
    'Authorization: Bearer \u00ff\u00fe',
  ),
  fc
    .tuple(
      fc.string({ unit: 'binary-ascii', maxLength: 12 }),
      fc.string({ unit: 'binary-ascii', maxLength: 30 }),
    )
    .map(([name, value]) => `${name.replace(/[\r\n:]/g, '') || 'X'}: ${value.replace(/[\r\n]/g, '')}`),
);
const request = fc
  .record({
    method,
    target,
    upgrade: fc.boolean(),
    headers: fc.array(header, { maxLength: 4 }),
    body: fc.string({ maxLength: 40 }),
  })
  .map(({ method: m, target: t, upgrade, headers, body }) =>
    Buffer.from(
      `${m} ${t} HTTP/1.1\r\nHost: 127.0.0.1\r\n${[...(upgrade ? upgradeHeaders : []), ...headers]
        .map((line) => `${line}\r\n`)
        .join('')}\r\n${body}`,
      'latin1',
    ),
  );

describe('raw HTTP fuzzing of the validator', () => {
  it('answers every known crashing request target with 400 and keeps serving', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using bystander = await registerMiner(arena, 'bystander');
    try {
      for (const path of TARGETS.slice(0, 5)) {
        for (const upgrade of [true, false]) {
          const head = `GET ${path} HTTP/1.1\r\nHost: x\r\n${upgrade ? upgradeHeaders.map((h) => `${h}\r\n`).join('') : ''}\r\n`;
          const answer = await rawRequest(arena.validator.port, head, 300);
          expect(answer, `${path} upgrade=${upgrade}`).toMatch(/^HTTP\/1\.1 (400|404)/);
        }
      }
      expect((await fetch(`${arena.validator.url}/v1/health`)).status).toBe(200);
      bystander.send({ type: 'offer.accept', jobId: 'job_none' });
      expect((await bystander.next('error')).code).toBe('offer_not_pending');
    } finally {
      await arena.validator.close();
    }
  });

  it('survives random raw requests, with and without upgrades, and a bystander miner stays served', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using bystander = await registerMiner(arena, 'bystander');
    try {
      await createJob(arena, { timeLimitSeconds: 60, minersWanted: 1 });
      await bystander.next('job.offer');
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 5 }), async (batch) => {
          await Promise.all(batch.map((bytes) => rawRequest(arena.validator.port, bytes, 150)));
          expect((await fetch(`${arena.validator.url}/v1/health`)).status).toBe(200);
        }),
        { numRuns: 60 },
      );
      const before = bystander.received.length;
      const started = performance.now();
      bystander.send({ type: 'offer.accept', jobId: 'job_none' });
      const answer = await bystander.next('error', (m) => bystander.received.indexOf(m) >= before);
      console.log(`bystander answered in ${(performance.now() - started).toFixed(1)} ms after the fuzzing`);
      expect(answer.code).toBe('offer_not_pending');
      expect(bystander.closeCode).toBeUndefined();
    } finally {
      await arena.validator.close();
    }
  });
});
