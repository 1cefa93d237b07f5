import { join } from 'node:path';
import { challengePayload, PROTOCOL_VERSION, signPayload, verifyPayload } from '@tuning-arena/protocol';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createMinersRepo } from './db/miners-repo.js';
import { openDb } from './db/open-db.js';
import { connectMiner, createTempDirs, registerMiner, startCompetition } from './test-fixtures.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The three other spellings of a key's bytes (stray low bits in the last character). */
const siblings = (key: string): [string, string, string] => {
  expect(key).toHaveLength(43);
  const last = ALPHABET.indexOf(key[42]!);
  const spelling = (low: number) => key.slice(0, 42) + ALPHABET[last + low];
  return [spelling(1), spelling(2), spelling(3)];
};

const hello = (minerKey: string) => ({
  type: 'hello',
  protocolVersion: PROTOCOL_VERSION,
  minerKey,
  software: 't',
  capacity: 1,
});

describe('miner key spellings', () => {
  it('refuses a hello that spells a registered key another way, and lets the canonical one in', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _ = { [Symbol.asyncDispose]: () => arena.validator.close() };
    await using miner = await registerMiner(arena, 'ann', { authenticate: false });
    for (const spelling of siblings(miner.keys.publicKey)) {
      await using other = await connectMiner(arena.validator.wsUrl, { ...miner.keys, publicKey: spelling });
      other.send(hello(spelling));
      expect((await other.next('error')).code).toBe('invalid_message');
      expect(await other.closed()).toBe(1008);
    }
    await miner.authenticate();
    expect(miner.sessionToken).toBeDefined();
  });

  it('never authenticates a non-canonical spelling stored by an older version', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _ = { [Symbol.asyncDispose]: () => arena.validator.close() };
    await using miner = await registerMiner(arena, 'ann', { authenticate: false });
    const [legacy] = siblings(miner.keys.publicKey);
    const sqlite = new Database(join(dirs.root, 'data', 'validator.sqlite'));
    try {
      sqlite
        .prepare(
          `insert into miners (id, competition_id, public_key, owner, owner_key, display_name, created_at)
           values ('mnr_legacy', ?, ?, 'old', 'old', 'old', '2026-01-01T00:00:00.000Z')`,
        )
        .run(arena.competition.id, legacy);
    } finally {
      sqlite.close();
    }
    await using other = await connectMiner(arena.validator.wsUrl);
    other.send(hello(legacy));
    expect((await other.next('error')).code).toBe('invalid_message');
    // Even past the frame decoder, the lookup and the signature refuse the spelling.
    const db = await openDb(join(dirs.root, 'data', 'validator.sqlite'));
    try {
      expect(await createMinersRepo(db).getByKey(legacy)).toBeUndefined();
      expect((await createMinersRepo(db).getByKey(miner.keys.publicKey))?.id).toBe(miner.id);
    } finally {
      await db.destroy();
    }
    const signature = signPayload(miner.keys.privateKeyPem, challengePayload('n', legacy));
    expect(verifyPayload(legacy, challengePayload('n', legacy), signature)).toBe(false);
  });
});
