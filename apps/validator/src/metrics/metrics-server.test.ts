import { describe, expect, it } from 'vitest';
import { createTempDirs } from '../test-fixtures.js';
import { testBundle, uploadArena } from '../test-uploads.js';
import { sample } from './test-metrics.js';

describe('the separate metrics address', () => {
  it('serves /metrics without a token, with the offers miners answered and the bytes they uploaded', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root, { metrics: { port: 0 } });
    const metricsUrl = a.validator.metricsUrl as string;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl).port).not.toBe(String(a.validator.port));

    const { bytes, sha } = testBundle(4096);
    await a.commit(sha);
    const put = await fetch(`${a.validator.url}/v1/artifacts/${sha}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${a.uploader.sessionToken}` },
      body: bytes,
    });
    expect(put.status).toBe(201);

    const scrape = async () => {
      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      return response.text();
    };
    await expect
      .poll(
        async () => {
          const text = await scrape();
          return [
            sample(text, 'arena_connected_miners'),
            sample(text, 'arena_offers_total{outcome="sent"}'),
            sample(text, 'arena_offers_total{outcome="accepted"}'),
            sample(text, 'arena_jobs{status="running"}'),
            sample(text, 'arena_upload_bytes_total'),
          ];
        },
        { timeout: 5000 },
      )
      .toEqual([2, 2, 2, 1, bytes.length]);
    expect(sample(await scrape(), 'process_resident_memory_bytes')).toBeUndefined();

    expect((await fetch(new URL('/v1/competitions', metricsUrl))).status).toBe(404);
    expect((await fetch(`${a.validator.url}/metrics`)).status).toBe(401);
  });
});
