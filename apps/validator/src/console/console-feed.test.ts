// The console's bounded pieces on their own: the hub's subscriber cap, a stream that drops a client which
// stops reading, the progress history's two bounds, and the score history's running product.

import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { scoreHistory } from './charts-data.js';
import { createEventHub } from './event-hub.js';
import { createProgressHistory } from './progress-history.js';
import { openEventStream } from './sse-stream.js';

const lookup = { ofJob: async () => 'cmp_1', ofMiner: async () => 'cmp_1' };
const hubOf = (maxSubscribers: number) =>
  createEventHub({ lookup, logger: silentLogger, now: () => 0, maxSubscribers });

describe('console feed', () => {
  it('refuses subscribers past the cap and fills in the competition of a job event', async () => {
    const hub = hubOf(1);
    const seen: (string | null)[] = [];
    const leave = hub.subscribe((event) => seen.push(event.competitionId));
    expect(hub.subscribe(() => undefined)).toBeUndefined();
    hub.publish({ type: 'job', event: 'job.started', jobId: 'job_1' });
    await expect.poll(() => seen).toEqual(['cmp_1']);
    leave?.();
    expect(hub.subscribe(() => undefined)).toBeDefined();
  });

  it('drops a stream whose client stops reading once its queue is full', async () => {
    const hub = hubOf(4);
    let dropped = 0;
    const stream = openEventStream(
      hub,
      { maxQueued: 3, heartbeatMs: 60_000, retryMs: 1000 },
      () => dropped++,
    );
    expect(stream).toBeDefined();
    expect(hub.size()).toBe(1);
    for (let i = 0; i < 10; i++) hub.publish({ type: 'job', event: 'job.started', competitionId: 'cmp_1' });
    await expect.poll(() => dropped).toBe(1);
    expect(hub.size()).toBe(0);
  });

  it('keeps at most maxPoints per offer (halving, the latest kept) and at most maxOffers offers', () => {
    const history = createProgressHistory({ maxPoints: 4, maxOffers: 2 });
    const at = (s: number) => new Date(s * 1000).toISOString();
    for (let step = 0; step < 9; step++)
      history.add('job_1', 'mnr_1', { step, trainLoss: 1, etaSeconds: null, at: at(step) });
    const steps = history.points('job_1', 'mnr_1').map((p) => p.step);
    expect(steps.length).toBeLessThanOrEqual(4);
    expect(steps.at(-1)).toBe(8);
    history.add('job_2', 'mnr_1', { step: 0, trainLoss: 1, etaSeconds: null, at: at(0) });
    history.add('job_3', 'mnr_1', { step: 0, trainLoss: 1, etaSeconds: null, at: at(0) });
    expect(history.points('job_1', 'mnr_1')).toEqual([]);
  });

  it('draws each miner’s score as the running product of its qualities, in scoring order', () => {
    const chart = scoreHistory(
      [
        { jobId: 'job_b', minerId: 'a', quality: 2, scoredAt: '2026-01-02' },
        { jobId: 'job_a', minerId: 'a', quality: 0.5, scoredAt: '2026-01-01' },
        { jobId: 'job_b', minerId: 'b', quality: 0.5, scoredAt: '2026-01-02' },
      ],
      [
        { minerId: 'a', displayName: 'ada' },
        { minerId: 'b', displayName: 'bob' },
      ],
    );
    expect(chart.x).toEqual([1, 2]);
    expect(chart.series).toEqual([
      { label: 'ada', y: [0.5, 1] },
      { label: 'bob', y: [null, 0.5] },
    ]);
  });
});
