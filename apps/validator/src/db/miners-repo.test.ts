import { describe, expect, it } from 'vitest';
import { createMinersRepo } from './miners-repo.js';
import { at, minerRow, openTestDb, publicKey } from './test-db.js';

const roomy = { maxMiners: 100, maxPerOwner: 100 };

async function minersDb() {
  const t = await openTestDb();
  await t.addCompetition('cmp_a');
  await t.addCompetition('cmp_b');
  return { t, miners: createMinersRepo(t.db) };
}

describe('miner registration', () => {
  it('stores a registered miner and finds it by id and by key', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    const row = minerRow('mnr_1', 'cmp_a', 1);
    expect(await miners.register(row, roomy)).toBe('ok');
    expect(await miners.get('mnr_1')).toEqual(row);
    expect(await miners.getByKey(publicKey(1))).toEqual(row);
  });

  it('refuses a key that is already registered, even in another competition', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    await miners.register(minerRow('mnr_1', 'cmp_a', 1), roomy);
    expect(await miners.register(minerRow('mnr_2', 'cmp_b', 1), roomy)).toBe('conflict');
    expect(await miners.get('mnr_2')).toBeUndefined();
  });

  it('refuses an owner at its limit, counting the normalised owner within one competition', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    const limits = { maxMiners: 100, maxPerOwner: 2 };
    const owned = (id: string, competition: string, n: number, owner: string) =>
      minerRow(id, competition, n, { owner, owner_key: 'alice' });
    expect(await miners.register(owned('mnr_1', 'cmp_a', 1, 'Alice'), limits)).toBe('ok');
    expect(await miners.register(owned('mnr_2', 'cmp_a', 2, 'alice'), limits)).toBe('ok');
    expect(await miners.register(owned('mnr_3', 'cmp_a', 3, 'ALICE'), limits)).toBe('owner_limit');
    expect(await miners.register(owned('mnr_4', 'cmp_b', 4, 'Alice'), limits)).toBe('ok');
    expect(await miners.register(minerRow('mnr_5', 'cmp_a', 5), limits)).toBe('ok');
    expect((await miners.listByCompetition('cmp_a')).map((m) => m.id)).toEqual(['mnr_1', 'mnr_2', 'mnr_5']);
  });

  it('refuses a miner once the competition is full, counting only that competition', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    const limits = { maxMiners: 2, maxPerOwner: 100 };
    expect(await miners.register(minerRow('mnr_1', 'cmp_a', 1), limits)).toBe('ok');
    expect(await miners.register(minerRow('mnr_2', 'cmp_b', 2), limits)).toBe('ok');
    expect(await miners.register(minerRow('mnr_3', 'cmp_a', 3), limits)).toBe('ok');
    expect(await miners.register(minerRow('mnr_4', 'cmp_a', 4), limits)).toBe('competition_full');
    expect(await miners.get('mnr_4')).toBeUndefined();
  });

  it('reports a known key as a conflict before any limit', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    await miners.register(minerRow('mnr_1', 'cmp_a', 1, { owner_key: 'alice' }), roomy);
    const full = { maxMiners: 1, maxPerOwner: 1 };
    expect(await miners.register(minerRow('mnr_2', 'cmp_a', 1, { owner_key: 'alice' }), full)).toBe(
      'conflict',
    );
  });

  it('admits exactly the owner limit out of 10 concurrent registrations', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    const limits = { maxMiners: 100, maxPerOwner: 3 };
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        miners.register(minerRow(`mnr_${i}`, 'cmp_a', i, { owner_key: 'alice' }), limits),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'owner_limit')).toHaveLength(7);
    expect(await miners.listByCompetition('cmp_a')).toHaveLength(3);
  });

  it('admits exactly the competition size out of 10 concurrent registrations', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    const limits = { maxMiners: 4, maxPerOwner: 100 };
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => miners.register(minerRow(`mnr_${i}`, 'cmp_a', i), limits)),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'competition_full')).toHaveLength(6);
    expect(await miners.listByCompetition('cmp_a')).toHaveLength(4);
  });

  it('registers one of 10 concurrent registrations of the same key and calls the rest conflicts', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => miners.register(minerRow(`mnr_${i}`, 'cmp_a', 7), roomy)),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(9);
  });
});

describe('miner lookups and updates', () => {
  it('returns undefined for an unknown id or key', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    expect(await miners.get('mnr_missing')).toBeUndefined();
    expect(await miners.getByKey(publicKey(9))).toBeUndefined();
  });

  it('finds a key only in its canonical spelling', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    const key = publicKey(0);
    expect(key.endsWith('A')).toBe(true);
    await miners.register(minerRow('mnr_1', 'cmp_a', 0), roomy);
    // The same 32 bytes: the last character's two spare bits set, or with base64 padding.
    expect(Buffer.from(`${key.slice(0, -1)}B`, 'base64url')).toEqual(Buffer.from(key, 'base64url'));
    expect(await miners.getByKey(`${key.slice(0, -1)}B`)).toBeUndefined();
    expect(await miners.getByKey(`${key}=`)).toBeUndefined();
    expect(await miners.getByKey('not a key')).toBeUndefined();
    expect((await miners.getByKey(key))?.id).toBe('mnr_1');
  });

  it('finds nothing for a non-canonical spelling, even one that was stored', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    const odd = `${publicKey(0).slice(0, -1)}B`;
    await miners.register(minerRow('mnr_1', 'cmp_a', 0, { public_key: odd }), roomy);
    expect((await miners.get('mnr_1'))?.public_key).toBe(odd);
    expect(await miners.getByKey(odd)).toBeUndefined();
  });

  it("lists a competition's miners oldest first, ties broken by id", async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    const registered = (id: string, competition: string, n: number, seconds: number) =>
      miners.register(minerRow(id, competition, n, { owner_key: 'bob', created_at: at(seconds) }), roomy);
    await registered('mnr_c', 'cmp_a', 1, 5);
    await registered('mnr_b', 'cmp_a', 2, 3);
    await registered('mnr_a', 'cmp_a', 3, 3);
    await registered('mnr_x', 'cmp_b', 4, 0);
    expect((await miners.listByCompetition('cmp_a')).map((m) => m.id)).toEqual(['mnr_a', 'mnr_b', 'mnr_c']);
    expect(await miners.listByCompetition('cmp_missing')).toEqual([]);
  });

  it('records the capacity, software and time of a hello, and a touch moves only the time', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    await miners.register(minerRow('mnr_1', 'cmp_a', 1), roomy);
    await miners.register(minerRow('mnr_2', 'cmp_a', 2), roomy);
    await miners.recordHello('mnr_1', 4, 'miner/1.2', at(10));
    expect(await miners.get('mnr_1')).toMatchObject({
      capacity: 4,
      software: 'miner/1.2',
      last_seen_at: at(10),
    });
    await miners.touch('mnr_1', at(20));
    expect(await miners.get('mnr_1')).toMatchObject({
      capacity: 4,
      software: 'miner/1.2',
      last_seen_at: at(20),
    });
    expect(await miners.get('mnr_2')).toMatchObject({ capacity: 1, software: null, last_seen_at: null });
  });

  it('ignores a hello or touch for an unknown miner', async () => {
    const { t, miners } = await minersDb();
    await using _t = t;
    await expect(miners.recordHello('mnr_missing', 2, 'x', at(1))).resolves.toBeUndefined();
    await expect(miners.touch('mnr_missing', at(1))).resolves.toBeUndefined();
    expect(await miners.get('mnr_missing')).toBeUndefined();
  });
});
