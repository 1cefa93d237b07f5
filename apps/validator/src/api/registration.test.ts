import { generateMinerKeyPair } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createTempDirs, createTestApp } from '../test-fixtures.js';

async function arenaWith(root: string, limits: { maxMiners?: number; maxMinersPerOwner?: number }) {
  const t = await createTestApp(root);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await t.request(method, path, body);
    // biome-ignore lint/suspicious/noExplicitAny: loosely inspected test bodies
    return { status: response.status, body: (await response.json()) as any };
  };
  const operator = {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
  };
  const competition = (await operator.post('/v1/competitions', { name: 'cup', ...limits })).body;
  const path = `/v1/competitions/${competition.id}/miners`;
  const register = (owner: string, displayName = owner) =>
    operator.post(path, { publicKey: generateMinerKeyPair().publicKey, owner, displayName });
  return { operator, path, register, [Symbol.asyncDispose]: () => t[Symbol.asyncDispose]() };
}

describe('owner limits', () => {
  it('counts owners that differ only in case, width forms, spaces or invisible characters as one', async () => {
    await using dirs = await createTempDirs();
    await using a = await arenaWith(dirs.root, { maxMinersPerOwner: 5 });
    const spellings = ['ada', 'Ada', 'ada ', 'ＡＤＡ', ' a\u200Bda', 'ADA', 'ad\u00ADa'];
    const results = [];
    for (const owner of spellings) results.push(await a.register(owner));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 409, 409]);
    expect(results.slice(5).map((r) => r.body.error.code)).toEqual(['owner_limit', 'owner_limit']);
    // The spelling given is what is stored and shown.
    const listed = (await a.operator.get(a.path)).body.miners.map((m: { owner: string }) => m.owner);
    expect(listed).toEqual(spellings.slice(0, 5));
    expect((await a.register('Bob')).status).toBe(201);
  });

  it('lets exactly maxMinersPerOwner of 10 concurrent registrations of one owner through', async () => {
    await using dirs = await createTempDirs();
    await using a = await arenaWith(dirs.root, { maxMinersPerOwner: 5 });
    const owners = ['eve', 'Eve', 'EVE', 'eve ', 'ｅｖｅ', ' eve', 'e\u200Bve', 'Eve  ', 'eVe', 'EvE'];
    const results = await Promise.all(owners.map((owner) => a.register(owner)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.code).toBe('owner_limit');
    expect((await a.operator.get(a.path)).body.miners).toHaveLength(5);
  });

  it('lets exactly maxMiners of 10 concurrent registrations into a competition', async () => {
    await using dirs = await createTempDirs();
    await using a = await arenaWith(dirs.root, { maxMiners: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => a.register(`owner${i}`)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    for (const r of results.filter((r) => r.status !== 201))
      expect(r.body.error.code).toBe('competition_full');
    expect((await a.operator.get(a.path)).body.miners).toHaveLength(3);
  });

  it('registers one key once when 10 registrations of it race', async () => {
    await using dirs = await createTempDirs();
    await using a = await arenaWith(dirs.root, {});
    const { publicKey } = generateMinerKeyPair();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        a.operator.post(a.path, { publicKey, owner: `o${i}`, displayName: 'd' }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) expect(r.body.error.code).toBe('conflict');
  });
});
