import { join } from 'node:path';
import { challengePayload, generateMinerKeyPair, signPayload } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { connectMiner, createTempDirs, registerMiner, startCompetition } from '../test-fixtures.js';
import { attackSocket, countRows, helloFrame, readRow, recordingLogger } from './test-attack-kit.js';

const badSignature = signPayload(generateMinerKeyPair().privateKeyPem, Buffer.from('not the challenge'));

/** hello for `key` from `address`, then a bad auth; returns the code the validator answered with. */
async function badHandshake(wsUrl: string, key: string, address = '127.0.0.1'): Promise<string> {
  const socket = await attackSocket(wsUrl, address);
  if (socket.refused !== undefined) return `http_${socket.refused}`;
  socket.send(helloFrame(key));
  const answer = await Promise.race([socket.next('challenge'), socket.next('error')]);
  if (answer?.type === 'error') {
    await socket.closed();
    return answer.code;
  }
  socket.send({ type: 'auth', signature: badSignature });
  const error = await socket.next('error');
  await socket.closed();
  return error?.code ?? 'closed';
}

describe('authentication abuse', () => {
  it('writes nothing for a key before it authenticates: a hello with a victim key changes no stored row', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _v = arena.validator;
    const dbPath = join(dirs.root, 'data', 'validator.sqlite');
    const victim = await registerMiner(arena, 'victim', { capacity: 2 });
    await victim[Symbol.asyncDispose]();
    const row = () =>
      readRow(dbPath, 'SELECT capacity, software, last_seen_at FROM miners WHERE id = ?', victim.id);
    await expect.poll(row).toMatchObject({ capacity: 2, software: 'test/1' });
    const before = {
      miner: row(),
      nonces: countRows(dbPath, 'auth_nonces'),
      sessions: countRows(dbPath, 'sessions'),
    };

    const attacker = await attackSocket(arena.validator.wsUrl);
    attacker.send(helloFrame(victim.keys.publicKey, 64, 'evil/6.6.6'));
    expect(await attacker.next('challenge')).toBeDefined();
    const liar = await attackSocket(arena.validator.wsUrl);
    liar.send(helloFrame(victim.keys.publicKey, 33, 'liar/1'));
    await liar.next('challenge');
    liar.send({ type: 'auth', signature: badSignature });
    expect((await liar.next('error'))?.code).toBe('bad_signature');
    attacker.close();
    await attacker.closed();

    const after = {
      miner: row(),
      nonces: countRows(dbPath, 'auth_nonces'),
      sessions: countRows(dbPath, 'sessions'),
    };
    expect(after).toEqual(before);
  });

  it('throttles a hello + bad auth loop per address with rate_limited and keeps the nonce table bounded', async () => {
    await using dirs = await createTempDirs();
    const logger = recordingLogger();
    const arena = await startCompetition(dirs.root, { logger, limits: { authFailuresPerMinute: 5 } });
    await using _v = arena.validator;
    const dbPath = join(dirs.root, 'data', 'validator.sqlite');
    const victim = await registerMiner(arena, 'victim');
    const nonces = countRows(dbPath, 'auth_nonces');
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) codes.push(await badHandshake(arena.validator.wsUrl, victim.keys.publicKey));
    console.log('codes of 30 bad handshakes from one address:', codes.join(' '));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('bad_signature'));
    expect(codes.slice(5).every((code) => code === 'http_429' || code === 'rate_limited')).toBe(true);
    expect(countRows(dbPath, 'auth_nonces')).toBe(nonces);
    expect(logger.events.filter((e) => e.event === 'limit.auth_failures_per_minute').length).toBeLessThan(5);
    // The victim itself stays connected and served throughout.
    expect(victim.closeCode).toBeUndefined();
    await victim[Symbol.asyncDispose]();
  });

  it('throttles one key attacked from many addresses, but not its own address or other keys', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root, { limits: { authFailuresPerMinute: 5 } });
    await using _v = arena.validator;
    const victim = await registerMiner(arena, 'victim');
    const other = await registerMiner(arena, 'other', { authenticate: false });
    await victim[Symbol.asyncDispose]();
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      codes.push(await badHandshake(arena.validator.wsUrl, victim.keys.publicKey, `127.0.0.${10 + i}`));
    }
    expect(codes).toEqual([...Array(5).fill('bad_signature'), ...Array(3).fill('rate_limited')]);
    // Another key from a fresh address still gets its challenge.
    const fresh = await attackSocket(arena.validator.wsUrl, '127.0.0.40');
    fresh.send(helloFrame(other.keys.publicKey));
    expect(await fresh.next('challenge')).toBeDefined();
    fresh.close();
    // The victim reconnecting from the address it last authenticated from is not locked out.
    await using back = await connectMiner(arena.validator.wsUrl, victim.keys);
    await back.authenticate();
    expect(back.sessionToken).toBeDefined();
    await other[Symbol.asyncDispose]();
  });

  it('throttles a key whose challenges are abandoned, but not an address whose sockets merely time out', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root, {
      heartbeatIntervalMs: 60_000,
      limits: { authFailuresPerMinute: 5, handshakeTimeoutMs: 200 },
    });
    await using _v = arena.validator;
    const victim = await registerMiner(arena, 'victim', { authenticate: false });
    const other = await registerMiner(arena, 'other', { authenticate: false });
    for (let i = 0; i < 6; i++) {
      const socket = await attackSocket(arena.validator.wsUrl);
      socket.send(helloFrame(victim.keys.publicKey));
      await socket.next('challenge');
      socket.close();
      await socket.closed();
    }
    const idle = await Promise.all(Array.from({ length: 8 }, () => attackSocket(arena.validator.wsUrl)));
    for (const socket of idle) expect((await socket.next('error'))?.code).toBe('handshake_timeout');
    const blocked = await attackSocket(arena.validator.wsUrl);
    blocked.send(helloFrame(victim.keys.publicKey));
    expect((await blocked.next('error'))?.code).toBe('rate_limited');
    const fine = await attackSocket(arena.validator.wsUrl);
    fine.send(helloFrame(other.keys.publicKey));
    expect(await fine.next('challenge')).toBeDefined();
    fine.close();
    await victim[Symbol.asyncDispose]();
    await other[Symbol.asyncDispose]();
  });

  it('refuses a key that reconnects more than authsPerMinute times with rate_limited, before any database access', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root, { limits: { authsPerMinute: 5 } });
    await using _v = arena.validator;
    const first = await registerMiner(arena, 'storm');
    for (let i = 0; i < 4; i++) {
      await using again = await connectMiner(arena.validator.wsUrl, first.keys);
      await again.authenticate();
    }
    await using refused = await connectMiner(arena.validator.wsUrl, first.keys);
    refused.send(helloFrame(first.keys.publicKey));
    expect((await refused.next('error')).code).toBe('rate_limited');
    expect(await refused.closed()).toBe(1008);
    await first[Symbol.asyncDispose]();
  });

  it('names a replayed answer cheaply and keeps used nonces and sessions bounded when one key connects 120 times at once', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root, {
      limits: { maxUnauthenticatedPerAddress: 200, authsPerMinute: 1000 },
    });
    await using _v = arena.validator;
    const dbPath = join(dirs.root, 'data', 'validator.sqlite');
    const first = await registerMiner(arena, 'ann', { authenticate: false });
    const { keys } = first;
    const clients = await Promise.all(
      Array.from({ length: 120 }, () => connectMiner(arena.validator.wsUrl, keys)),
    );
    await Promise.all(clients.map((client) => client.authenticate()));
    await expect
      .poll(() => clients.filter((client) => client.closeCode === undefined).length, { timeout: 4000 })
      .toBe(1);
    expect((await arena.operator.get(`/v1/miners/${first.id}`)).body.connected).toBe(true);
    expect(countRows(dbPath, 'auth_nonces', `miner_id = '${first.id}'`)).toBe(100);
    await expect.poll(() => countRows(dbPath, 'sessions', 'ended_at IS NULL')).toBe(1);

    // A replay of an answer that is still remembered is named as such.
    const survivor = clients.find((client) => client.closeCode === undefined);
    first.send(helloFrame(keys.publicKey));
    const { nonce } = await first.next('challenge');
    const answer = signPayload(keys.privateKeyPem, challengePayload(nonce, keys.publicKey));
    first.send({ type: 'auth', signature: answer });
    await first.next('welcome');
    // Ended sessions are pruned to the newest 100 of the key at its next authentication.
    expect(countRows(dbPath, 'sessions', `miner_id = '${first.id}'`)).toBeLessThanOrEqual(101);
    const replay = await attackSocket(arena.validator.wsUrl);
    replay.send(helloFrame(keys.publicKey));
    await replay.next('challenge');
    replay.send({ type: 'auth', signature: answer });
    expect((await replay.next('error'))?.code).toBe('challenge_replayed');
    await survivor?.closed();
    for (const client of clients) await client[Symbol.asyncDispose]();
    await first[Symbol.asyncDispose]();
  });
});
