import {
  CompetitionView,
  decodeBody,
  generateMinerKeyPair,
  JobView,
  MinerView,
} from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createTempDirs, createTestApp } from '../test-fixtures.js';

async function json(response: Response) {
  // biome-ignore lint/suspicious/noExplicitAny: loosely inspected test bodies
  return { status: response.status, body: (await response.json()) as any };
}

describe('operator API', () => {
  it('refuses a request without the operator token with 401 unauthorized', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    for (const [method, path] of [
      ['GET', '/v1/competitions'],
      ['POST', '/v1/competitions'],
      ['GET', '/v1/jobs/job_x'],
      ['POST', '/v1/jobs/job_x/cancel'],
      ['GET', '/v1/models'],
    ] as const) {
      const body = method === 'GET' ? undefined : { name: 'x' };
      const missing = await json(await t.request(method, path, body, null));
      expect(missing.status).toBe(401);
      expect(missing.body.error.code).toBe('unauthorized');
      const wrong = await json(await t.request(method, path, body, 'not-the-token'));
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('unauthorized');
    }
  });

  it('creates, lists and inspects competitions with default limits', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const created = await json(await t.request('POST', '/v1/competitions', { name: 'Spring cup' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Spring cup', maxMiners: 20, maxMinersPerOwner: 5, tau: 0.1 });
    expect(decodeBody(CompetitionView, created.body).ok).toBe(true);
    const list = await json(await t.request('GET', '/v1/competitions'));
    expect(list.body.competitions.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    const one = await json(await t.request('GET', `/v1/competitions/${created.body.id}`));
    expect(one.body).toEqual(created.body);
    const missing = await json(await t.request('GET', '/v1/competitions/cmp_nope'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('refuses invalid bodies with invalid_body and the schema issues', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const cases: unknown[] = [
      '{"name":',
      {},
      { name: 'x', admin: true },
      { name: 'x', maxMiners: 100_001 },
      { name: 'x', maxMinersPerOwner: 100_001 },
      { name: 'x', maxMinersPerOwner: 0 },
      { name: 42 },
    ];
    for (const body of cases) {
      const response = await json(await t.request('POST', '/v1/competitions', body));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_body');
      expect(response.body.error.issues.length).toBeGreaterThan(0);
    }
    const competition = await json(await t.request('POST', '/v1/competitions', { name: 'c' }));
    const badMiner = await json(
      await t.request('POST', `/v1/competitions/${competition.body.id}/miners`, {
        publicKey: 42,
        owner: 'ann',
        displayName: 'a',
      }),
    );
    expect(badMiner.body.error.code).toBe('invalid_body');
    const badJob = await json(
      await t.request('POST', `/v1/competitions/${competition.body.id}/jobs`, {
        model: 'tiny',
        dataset: 'sums',
        timeLimitSeconds: 0,
        minersWanted: 1,
      }),
    );
    expect(badJob.body.error.code).toBe('invalid_body');
  });

  it('registers miners up to the owner limit and refuses the next with owner_limit', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const competition = await json(
      await t.request('POST', '/v1/competitions', { name: 'c', maxMinersPerOwner: 2 }),
    );
    const path = `/v1/competitions/${competition.body.id}/miners`;
    const register = async (owner: string) =>
      json(
        await t.request('POST', path, {
          publicKey: generateMinerKeyPair().publicKey,
          owner,
          displayName: owner,
        }),
      );
    expect((await register('ann')).status).toBe(201);
    expect((await register('ann')).status).toBe(201);
    const third = await register('ann');
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('owner_limit');
    expect((await register('bob')).status).toBe(201);
  });

  it('registers a key once: other spellings, wrong lengths and non-points get 400 invalid_key', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const competition = await json(await t.request('POST', '/v1/competitions', { name: 'c' }));
    const path = `/v1/competitions/${competition.body.id}/miners`;
    let { publicKey } = generateMinerKeyPair();
    while (!/[-_]/.test(publicKey)) publicKey = generateMinerKeyPair().publicKey;
    const register = async (key: string, owner = 'ann') =>
      json(await t.request('POST', path, { publicKey: key, owner, displayName: owner }));
    expect((await register(publicKey)).status).toBe(201);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    expect(publicKey).toHaveLength(43);
    const last = alphabet.indexOf(publicKey[42]!);
    const standard = Buffer.from(publicKey, 'base64url').toString('base64');
    const zeros = (bytes: number[]) => Buffer.from([...bytes, ...Array(32 - bytes.length).fill(0)]);
    const spellings = [
      ...[1, 2, 3].map((low) => publicKey.slice(0, 42) + alphabet[last + low]),
      `${publicKey}=`,
      standard,
      standard.replace(/=+$/, ''),
      publicKey.slice(0, 42),
      `${publicKey}AAAA`,
      'A'.repeat(43), // all-zero bytes: y = 0, a small-order point
      zeros([1]).toString('base64url'), // the identity
      zeros([2]).toString('base64url'), // y = 2 is not on the curve
      '',
    ];
    for (const [index, key] of spellings.entries()) {
      const response = await register(key, `other${index}`);
      expect(response.status, key).toBe(400);
      expect(response.body.error.code, key).toBe('invalid_key');
    }
    const list = await json(await t.request('GET', path));
    expect(list.body.miners.map((m: { publicKey: string }) => m.publicKey)).toEqual([publicKey]);
  });

  it('refuses a miner past the competition size with competition_full', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const competition = await json(await t.request('POST', '/v1/competitions', { name: 'c', maxMiners: 3 }));
    const path = `/v1/competitions/${competition.body.id}/miners`;
    for (const owner of ['a', 'b', 'c']) {
      const ok = await t.request('POST', path, {
        publicKey: generateMinerKeyPair().publicKey,
        owner,
        displayName: owner,
      });
      expect(ok.status).toBe(201);
    }
    const full = await json(
      await t.request('POST', path, {
        publicKey: generateMinerKeyPair().publicKey,
        owner: 'd',
        displayName: 'd',
      }),
    );
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('competition_full');
  });

  it('refuses a duplicate public key with conflict', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const competition = await json(await t.request('POST', '/v1/competitions', { name: 'c' }));
    const other = await json(await t.request('POST', '/v1/competitions', { name: 'd' }));
    const { publicKey } = generateMinerKeyPair();
    const body = { publicKey, owner: 'ann', displayName: 'a' };
    expect((await t.request('POST', `/v1/competitions/${competition.body.id}/miners`, body)).status).toBe(
      201,
    );
    const again = await json(await t.request('POST', `/v1/competitions/${other.body.id}/miners`, body));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('lists and inspects miners with their connected flag', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const competition = await json(await t.request('POST', '/v1/competitions', { name: 'c' }));
    const miner = await json(
      await t.request('POST', `/v1/competitions/${competition.body.id}/miners`, {
        publicKey: generateMinerKeyPair().publicKey,
        owner: 'ann',
        displayName: 'Ann 1',
      }),
    );
    expect(miner.body).toMatchObject({ owner: 'ann', displayName: 'Ann 1', connected: false, activeJobs: 0 });
    expect(decodeBody(MinerView, miner.body).ok).toBe(true);
    const list = await json(await t.request('GET', `/v1/competitions/${competition.body.id}/miners`));
    expect(list.body.miners).toEqual([miner.body]);
    const one = await json(await t.request('GET', `/v1/miners/${miner.body.id}`));
    expect(one.body).toEqual(miner.body);
  });

  it('creates a job from a catalog model and a dataset, and lists and inspects it', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const competition = await json(await t.request('POST', '/v1/competitions', { name: 'c' }));
    const jobs = `/v1/competitions/${competition.body.id}/jobs`;
    const created = await json(
      await t.request('POST', jobs, {
        model: 'tiny',
        dataset: 'sums',
        timeLimitSeconds: 60,
        minersWanted: 2,
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'offering',
      model: { id: 'tiny', family: 'gpt2', parameterCount: 16 * 4 + 8 * 4 },
      dataset: 'sums',
      minersWanted: 2,
      deadline: null,
      offers: [],
      trainRows: 36, // 50 rows: 20 % held out for synthetic sets, then 10 % of the 40 sampled go to test
    });
    expect(decodeBody(JobView, created.body).ok).toBe(true);
    const list = await json(await t.request('GET', jobs));
    expect(list.body.jobs.map((job: { id: string }) => job.id)).toEqual([created.body.id]);
    const one = await json(await t.request('GET', `/v1/jobs/${created.body.id}`));
    expect(one.body).toEqual(created.body);
    const submissions = await json(await t.request('GET', `/v1/jobs/${created.body.id}/submissions`));
    expect(submissions.body).toEqual({ submissions: [] });
    const models = await json(await t.request('GET', '/v1/models'));
    expect(models.body.models).toEqual([expect.objectContaining({ id: 'tiny', family: 'gpt2' })]);
  });

  it('lets the operator raise the competition size, owner limit and minersWanted past the defaults', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const big = { name: 'big', maxMiners: 100_000, maxMinersPerOwner: 100_000 };
    const competition = await json(await t.request('POST', '/v1/competitions', big));
    expect(competition.status).toBe(201);
    expect(competition.body).toMatchObject({ maxMiners: 100_000, maxMinersPerOwner: 100_000 });
    const jobs = `/v1/competitions/${competition.body.id}/jobs`;
    const job = { model: 'tiny', dataset: 'sums', timeLimitSeconds: 60 };
    const wide = await json(await t.request('POST', jobs, { ...job, minersWanted: 10_000 }));
    expect(wide.status).toBe(201);
    expect(wide.body.minersWanted).toBe(10_000);
    const tooWide = await json(await t.request('POST', jobs, { ...job, minersWanted: 10_001 }));
    expect(tooWide.body.error.code).toBe('invalid_body');
  });

  it('refuses a job for an unknown model or dataset', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const competition = await json(await t.request('POST', '/v1/competitions', { name: 'c' }));
    const jobs = `/v1/competitions/${competition.body.id}/jobs`;
    const base = { timeLimitSeconds: 60, minersWanted: 1 };
    const model = await json(await t.request('POST', jobs, { ...base, model: 'nope', dataset: 'sums' }));
    expect(model.body.error.code).toBe('unknown_model');
    // The refusal names the field and lists the models that do exist.
    expect(model.body.error.issues).toEqual([{ path: '/model', message: expect.stringContaining('tiny') }]);
    const catalogued = await json(
      await t.request('POST', jobs, { ...base, model: 'arena-nano', dataset: 'sums' }),
    );
    expect(catalogued.body.error.issues).toEqual([
      { path: '/model', message: expect.stringContaining('pnpm models pretrain arena-nano') },
    ]);
    const traversal = await json(await t.request('POST', jobs, { ...base, model: '..', dataset: 'sums' }));
    expect(traversal.body.error.code).toBe('unknown_model');
    const dataset = await json(await t.request('POST', jobs, { ...base, model: 'tiny', dataset: 'nope' }));
    expect(dataset.body.error.code).toBe('unknown_dataset');
  });

  it('cancels an offering job once and refuses a second cancel with conflict', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const competition = await json(await t.request('POST', '/v1/competitions', { name: 'c' }));
    const job = await json(
      await t.request('POST', `/v1/competitions/${competition.body.id}/jobs`, {
        model: 'tiny',
        dataset: 'sums',
        timeLimitSeconds: 60,
        minersWanted: 1,
      }),
    );
    const cancelled = await json(await t.request('POST', `/v1/jobs/${job.body.id}/cancel`));
    expect(cancelled.body.status).toBe('cancelled');
    const again = await json(await t.request('POST', `/v1/jobs/${job.body.id}/cancel`));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const missing = await json(await t.request('POST', '/v1/jobs/job_nope/cancel'));
    expect(missing.body.error.code).toBe('not_found');
  });

  it('answers unknown routes with a JSON not_found', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const response = await json(await t.request('GET', '/v1/nothing-here'));
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});
