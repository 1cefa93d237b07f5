import { describe, expect, it } from 'vitest';
import { createTempDirs, createTestApp } from '../test-fixtures.js';
import { sample } from './test-metrics.js';

describe('GET /metrics on the validator port', () => {
  it('refuses a scrape without the operator token', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    for (const token of [null, 'not-the-token']) {
      const response = await t.request('GET', '/metrics', undefined, token);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('shows jobs by status, connected miners and the limit that refused a body', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root, { limits: { maxBodyBytes: 1024 } });
    const competition = (await (await t.request('POST', '/v1/competitions', { name: 'cup' })).json()) as {
      id: string;
    };
    const job = { model: 'tiny', dataset: 'sums', timeLimitSeconds: 60, minersWanted: 1 };
    expect((await t.request('POST', `/v1/competitions/${competition.id}/jobs`, job)).status).toBe(201);
    const big = await t.request('POST', '/v1/competitions', { name: 'x'.repeat(2000) });
    expect(big.status).toBe(413);
    t.registry.add({
      minerId: 'miner_a',
      competitionId: competition.id,
      publicKey: 'key',
      capacity: 1,
      tokenSha256: 'sha',
      connectedAt: 0,
      send: () => undefined,
      close: () => undefined,
    });
    const response = await t.request('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(sample(text, 'arena_jobs{status="offering"}')).toBe(1);
    expect(sample(text, 'arena_jobs{status="running"}')).toBe(0);
    expect(sample(text, 'arena_connected_miners')).toBe(1);
    expect(sample(text, 'arena_evaluation_queue_depth{status="queued"}')).toBe(0);
    expect(sample(text, 'arena_limit_hits_total{limit="maxBodyBytes"}')).toBe(1);
  });
});
