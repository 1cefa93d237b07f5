import { connect } from 'node:net';
import { challengePayload, generateMinerKeyPair, signPayload } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { connectMiner, createTempDirs, registerMiner, startCompetition } from '../test-fixtures.js';
import {
  type AttackSocket,
  attackSocket,
  helloFrame,
  parseResponse,
  rawRequest,
  rawUpgrade,
  recordingLogger,
} from './test-attack-kit.js';

describe('handshake limits', () => {
  it('closes a socket that has not authenticated within the handshake deadline with handshake_timeout', async () => {
    await using dirs = await createTempDirs();
    const logger = recordingLogger();
    const { validator } = await startCompetition(dirs.root, {
      logger,
      heartbeatIntervalMs: 60_000,
      limits: { handshakeTimeoutMs: 300 },
    });
    await using _v = validator;
    await using idle = await connectMiner(validator.wsUrl);
    expect((await idle.next('error')).code).toBe('handshake_timeout');
    expect(await idle.closed()).toBe(1008);
    expect(logger.events.some((e) => e.event === 'limit.handshake_timeout_ms')).toBe(true);
  });

  it('refuses upgrades past the per-address and total caps with 503 too_many_connections, and authenticated miners do not count', async () => {
    await using dirs = await createTempDirs();
    const logger = recordingLogger();
    const arena = await startCompetition(dirs.root, {
      logger,
      limits: { maxUnauthenticated: 6, maxUnauthenticatedPerAddress: 3 },
    });
    await using _v = arena.validator;
    const { port } = arena.validator;
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await rawUpgrade(port, '127.0.0.1'));
    expect(held.every((h) => h.head.startsWith('HTTP/1.1 101'))).toBe(true);
    const refused = await rawUpgrade(port, '127.0.0.1');
    expect(parseResponse(refused.head).status).toBe(503);
    expect(logger.events.some((e) => e.event === 'limit.max_unauthenticated_per_address')).toBe(true);

    for (let i = 0; i < 3; i++) held.push(await rawUpgrade(port, `127.0.0.${i + 2}`));
    const full = await rawUpgrade(port, '127.0.0.9');
    expect(parseResponse(full.head).status).toBe(503);
    expect(logger.events.some((e) => e.event === 'limit.max_unauthenticated')).toBe(true);

    // A closed handshake frees its slot; an authenticated miner gives it back too.
    held.shift()?.socket.destroy();
    await expect
      .poll(async () => (await rawUpgrade(port, '127.0.0.1')).head.slice(0, 12))
      .toBe('HTTP/1.1 101');
    for (const h of held) h.socket.destroy();
    const miners = [];
    for (let i = 0; i < 8; i++) miners.push(await registerMiner(arena, `owner${i}`));
    expect(miners.every((m) => m.sessionToken)).toBe(true);
    for (const m of miners) await m[Symbol.asyncDispose]();
  });

  it('lets a new miner in once a flood of idle handshakes reaches its deadline, and serves the operator throughout', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root, {
      limits: { maxUnauthenticated: 20, maxUnauthenticatedPerAddress: 20, handshakeTimeoutMs: 500 },
    });
    await using _v = arena.validator;
    const { port } = arena.validator;
    const flood = await Promise.all(Array.from({ length: 40 }, () => rawUpgrade(port, '127.0.0.1')));
    const admitted = flood.filter((h) => h.head.startsWith('HTTP/1.1 101')).length;
    expect(admitted).toBe(20);
    expect((await arena.operator.get('/v1/competitions')).status).toBe(200);
    const keys = generateMinerKeyPair();
    const registered = await arena.operator.post(`/v1/competitions/${arena.competition.id}/miners`, {
      publicKey: keys.publicKey,
      owner: 'late',
      displayName: 'late',
    });
    expect(registered.status).toBe(201);
    // Like a real miner, retry (here every 100 ms) while the table is full; from another address, since
    // the flood's own address is throttled once its handshakes time out.
    const started = performance.now();
    let miner: AttackSocket | undefined;
    await expect
      .poll(
        async () => {
          const socket = await attackSocket(arena.validator.wsUrl, '127.0.0.50');
          miner = socket.refused === undefined ? socket : undefined;
          return socket.refused;
        },
        { timeout: 3000, interval: 100 },
      )
      .toBeUndefined();
    miner?.send(helloFrame(keys.publicKey));
    const challenge = await miner?.next('challenge');
    miner?.send({
      type: 'auth',
      signature: signPayload(keys.privateKeyPem, challengePayload(challenge?.nonce ?? '', keys.publicKey)),
    });
    expect(await miner?.next('welcome')).toBeDefined();
    console.log(`miner admitted ${(performance.now() - started).toFixed(0)} ms into a full handshake table`);
    for (const h of flood) h.socket.destroy();
    miner?.close();
  });

  it('drops TCP connections past the per-address cap and sockets that never finish their headers', async () => {
    await using dirs = await createTempDirs();
    const logger = recordingLogger();
    const arena = await startCompetition(dirs.root, {
      logger,
      limits: { maxConnectionsPerAddress: 4, headersTimeoutMs: 300 },
    });
    await using _v = arena.validator;
    const { port } = arena.validator;
    const closedAt: number[] = [];
    const started = Date.now();
    const idle = Array.from({ length: 6 }, (_, i) => {
      const socket = connect(port, '127.0.0.1', () => {
        if (i % 2) socket.write('GET /v1/health HTTP/1.1\r\nHost: x\r\n');
      });
      socket.on('error', () => undefined);
      socket.on('close', () => closedAt.push(Date.now() - started));
      return socket;
    });
    // Two are dropped at once; the other four are cut by the headers timeout.
    await expect.poll(() => closedAt.length, { timeout: 4000 }).toBe(6);
    console.log('idle sockets closed after (ms):', closedAt.join(', '));
    expect(logger.events.some((e) => e.event === 'limit.max_connections_per_address')).toBe(true);
    for (const socket of idle) socket.destroy();
    expect(
      parseResponse(await rawRequest(port, 'GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
        .status,
    ).toBe(200);
  });
});
