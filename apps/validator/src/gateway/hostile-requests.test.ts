import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTempDirs, registerMiner, startCompetition } from '../test-fixtures.js';
import { parseResponse, rawRequest, recordingLogger, upgradeRequest } from './test-attack-kit.js';

/** Request targets that make `new URL(target, base)` throw. */
const UNPARSEABLE = ['//', '///', '//@', 'http://', '//:99999', 'http://[::1', '//a b'];

async function arena(root: string) {
  const logger = recordingLogger();
  const base = await startCompetition(root, { logger });
  const bystander = await registerMiner(base, 'bystander');
  const alive = async () => {
    expect((await base.operator.get('/v1/competitions')).status).toBe(200);
    const before = bystander.received.length;
    bystander.send({ type: 'offer.accept', jobId: 'job_none' });
    const answer = await bystander.next('error', (m) => bystander.received.indexOf(m) >= before);
    expect(answer.code).toBe('offer_not_pending');
  };
  return {
    ...base,
    logger,
    port: base.validator.port,
    alive,
    [Symbol.asyncDispose]: async () => {
      await bystander[Symbol.asyncDispose]();
      await base.validator.close();
    },
  };
}

describe('hostile HTTP and upgrade requests', () => {
  it('answers an upgrade with an unparseable target with 400 bad_request and stays up', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    for (const target of UNPARSEABLE) {
      const response = parseResponse(await rawRequest(a.port, upgradeRequest(target)));
      expect(response, target).toEqual({ status: 400, code: 'bad_request' });
    }
    expect(a.logger.events.some((e) => e.event === 'gateway.bad_request')).toBe(true);
    await a.alive();
  });

  it('answers plain requests with those targets with a JSON 400 or 404, and an unparseable one with bad_request', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    for (const target of UNPARSEABLE) {
      const text = await rawRequest(
        a.port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect([400, 404], target).toContain(parseResponse(text).status);
      expect(['bad_request', 'not_found'], target).toContain(parseResponse(text).code);
    }
    const absolute = await rawRequest(
      a.port,
      'GET http:// HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
    expect(parseResponse(absolute)).toEqual({ status: 400, code: 'bad_request' });
    const badHost = await rawRequest(
      a.port,
      'GET /v1/health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n',
    );
    expect(parseResponse(badHost)).toEqual({ status: 400, code: 'bad_request' });
    await a.alive();
  });

  it('answers malformed HTTP with 400 bad_request and upgrades to other paths with 404', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    for (const bytes of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      '\x00\x01\x02\r\n\r\n',
    ]) {
      expect(parseResponse(await rawRequest(a.port, bytes))).toEqual({ status: 400, code: 'bad_request' });
    }
    expect(parseResponse(await rawRequest(a.port, upgradeRequest('/v1/other')))).toEqual({
      status: 404,
      code: 'not_found',
    });
    const noKey = upgradeRequest('/v1/ws').replace(/Sec-WebSocket-Key: .*\r\n/, '');
    expect(parseResponse(await rawRequest(a.port, noKey)).status).toBe(400);
    await a.alive();
  });

  it('refuses malformed WebSocket handshakes without leaking handshake slots', async () => {
    await using dirs = await createTempDirs();
    const logger = recordingLogger();
    const base = await startCompetition(dirs.root, { logger, limits: { maxUnauthenticated: 2 } });
    await using _v = base.validator;
    const good = upgradeRequest('/v1/ws');
    const variants = [
      good.replace('GET', 'POST'),
      good.replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 8'),
      good.replace('dGhlIHNhbXBsZSBub25jZQ==', 'short'),
      good.replace('Upgrade: websocket', 'Upgrade: h2c'),
      good.replace('\r\n\r\n', '\r\nSec-WebSocket-Protocol: a,,b c\r\n\r\n'),
      good.replace('\r\n\r\n', '\r\nSec-WebSocket-Extensions: permessage-deflate; x=\x01\r\n\r\n'),
    ];
    const statuses = [];
    for (const bytes of [...variants, ...variants]) {
      // ws tolerates some of these (101) and the socket is then dropped here; the others are refused.
      statuses.push(parseResponse(await rawRequest(base.validator.port, bytes, 300)).status);
    }
    console.log('malformed handshakes answered with', statuses.join(' '));
    expect(
      statuses.every((status) => status === 101 || (status !== undefined && status >= 400 && status < 500)),
    ).toBe(true);
    await using miner = await registerMiner(base, 'after');
    expect(miner.sessionToken).toBeDefined();
  });

  it('survives sockets reset in the middle of an upgrade', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    const resets = Array.from(
      { length: 20 },
      (_, i) =>
        new Promise<void>((resolve) => {
          const socket = connect(a.port, '127.0.0.1', () => {
            const bytes = upgradeRequest(i % 2 ? '/v1/ws' : '//');
            socket.write(bytes.slice(0, i % 3 === 0 ? 30 : bytes.length), () => socket.resetAndDestroy());
          });
          socket.on('error', () => undefined);
          socket.on('close', () => resolve());
        }),
    );
    await Promise.all(resets);
    await a.alive();
  });
});
