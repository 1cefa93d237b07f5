// The typed operator client against a real validator: every call's answer fits its protocol schema, and
// every refusal surfaces as an ApiError with the API's code and status.

import { createArenaClient, isApiError } from '@tuning-arena/client';
import { generateMinerKeyPair } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createTempRoot, operatorClient, startValidator } from './fixtures.js';

describe('operator client', () => {
  it('drives competitions, miners, jobs and models with schema-checked answers', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    const client = operatorClient(validator.url);
    expect(await client.health()).toEqual({ ok: true });

    const competition = await client.competitions.create({ name: 'client cup', maxMiners: 3 });
    expect(competition).toMatchObject({ name: 'client cup', maxMiners: 3, maxMinersPerOwner: 5 });
    expect((await client.competitions.list()).map((c) => c.id)).toEqual([competition.id]);
    expect(await client.competitions.get(competition.id)).toEqual(competition);

    const key = generateMinerKeyPair().publicKey;
    const miner = await client.miners.register(competition.id, {
      publicKey: key,
      owner: 'ada',
      displayName: 'a',
    });
    expect(miner).toMatchObject({ publicKey: key, owner: 'ada', connected: false });
    expect(await client.miners.list(competition.id)).toHaveLength(1);
    expect((await client.miners.get(miner.id)).id).toBe(miner.id);

    const [model] = await client.models.list();
    expect(model).toMatchObject({ id: 'tiny-gpt2', family: 'gpt2' });
    const job = await client.jobs.create(competition.id, {
      model: 'tiny-gpt2',
      dataset: 'sums',
      timeLimitSeconds: 60,
      minersWanted: 1,
    });
    expect(job).toMatchObject({ status: 'offering', baseModelSha256: model?.weightsSha256 });
    expect((await client.jobs.list(competition.id)).map((j) => j.id)).toEqual([job.id]);
    expect(await client.jobs.submissions(job.id)).toEqual([]);
    expect(await client.jobs.commits(job.id)).toEqual([]);
    expect((await client.jobs.cancel(job.id)).status).toBe('cancelled');
  });

  it('turns refusals into ApiErrors with the API code and status', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    const client = operatorClient(validator.url);
    const refusal = async (call: Promise<unknown>) => {
      const error = await call.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      if (!isApiError(error)) throw new Error(`expected an ApiError, got ${String(error)}`);
      return { code: error.code, status: error.status };
    };
    expect(await refusal(client.competitions.get('cmp_nope'))).toEqual({ code: 'not_found', status: 404 });
    expect(await refusal(client.competitions.create({ name: '' }))).toEqual({
      code: 'invalid_body',
      status: 400,
    });
    const stranger = createArenaClient({ baseUrl: validator.url, token: 'wrong' });
    expect(await refusal(stranger.competitions.list())).toEqual({ code: 'unauthorized', status: 401 });
    const nobody = createArenaClient({ baseUrl: 'http://127.0.0.1:9' });
    expect(await refusal(nobody.health())).toEqual({ code: 'network_error', status: 0 });
    expect(await client.request('GET', '/v1/nothing-here')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });
});
