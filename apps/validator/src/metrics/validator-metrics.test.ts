import { describe, expect, it } from 'vitest';
import { createSnapshots } from './scrape-gauges.js';
import { sample } from './test-metrics.js';
import { createValidatorMetrics } from './validator-metrics.js';

describe('validator metrics', () => {
  it('counts offers by outcome, upload bytes, limit hits and evaluation durations', async () => {
    const metrics = createValidatorMetrics();
    metrics.offer('sent');
    metrics.offer('sent');
    metrics.offer('cancelled', 3);
    metrics.offer('cancelled', 0);
    metrics.uploadBytes(1000);
    metrics.uploadBytes(24);
    metrics.limitHit('maxBodyBytes');
    metrics.evaluation('done', 42);
    const text = await metrics.text();
    expect(sample(text, 'arena_offers_total{outcome="sent"}')).toBe(2);
    expect(sample(text, 'arena_offers_total{outcome="cancelled"}')).toBe(3);
    expect(sample(text, 'arena_upload_bytes_total')).toBe(1024);
    expect(sample(text, 'arena_limit_hits_total{limit="maxBodyBytes"}')).toBe(1);
    expect(sample(text, 'arena_evaluation_duration_seconds_bucket{le="60",outcome="done"}')).toBe(1);
    expect(sample(text, 'arena_evaluation_duration_seconds_bucket{le="30",outcome="done"}')).toBe(0);
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('reads the scrape gauges from the source last observed, zero-filling every job status', async () => {
    const metrics = createValidatorMetrics();
    expect(sample(await metrics.text(), 'arena_connected_miners')).toBe(0);
    metrics.observe({
      connectedMiners: () => 7,
      jobsByStatus: async () => ({ running: 2 }),
      evaluationQueue: async () => ({ queued: 4 }),
    });
    const text = await metrics.text();
    expect(sample(text, 'arena_connected_miners')).toBe(7);
    expect(sample(text, 'arena_jobs{status="running"}')).toBe(2);
    expect(sample(text, 'arena_jobs{status="scored"}')).toBe(0);
    expect(sample(text, 'arena_evaluation_queue_depth{status="queued"}')).toBe(4);
    expect(sample(text, 'arena_evaluation_queue_depth{status="running"}')).toBe(0);
  });

  it('shares one reading between scrapes closer than the interval, and retries a failed one', async () => {
    let now = 0;
    let reads = 0;
    let fail = false;
    const snapshot = createSnapshots(
      {
        connectedMiners: () => ++reads,
        jobsByStatus: async () => {
          if (fail) throw new Error('database busy');
          return {};
        },
        evaluationQueue: async () => ({}),
        now: () => now,
      },
      1000,
    );
    const [a, b] = await Promise.all([snapshot(), snapshot()]);
    expect([a.miners, b.miners, reads]).toEqual([1, 1, 1]);
    now = 999;
    expect((await snapshot()).miners).toBe(1);
    now = 1000;
    fail = true;
    await expect(snapshot()).rejects.toThrow('database busy');
    fail = false;
    expect((await snapshot()).miners).toBe(3);
  });
});
