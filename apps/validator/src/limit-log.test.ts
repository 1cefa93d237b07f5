import { describe, expect, it } from 'vitest';
import { createLimitLog } from './limit-log.js';
import { createLogger } from './logger.js';

describe('limit log', () => {
  it('logs a limit once per key and interval, then reports how many hits it suppressed', () => {
    const lines: Record<string, unknown>[] = [];
    let now = 0;
    const log = createLimitLog(createLogger({ write: (line) => lines.push(JSON.parse(line)) }), {
      intervalMs: 1000,
      now: () => now,
    });
    for (let i = 0; i < 1000; i++) log.hit('too_many_uploads', 'miner_a', { minerId: 'miner_a' });
    log.hit('too_many_uploads', 'miner_b', { minerId: 'miner_b' });
    expect(lines.map((line) => [line.event, line.minerId])).toEqual([
      ['limit.too_many_uploads', 'miner_a'],
      ['limit.too_many_uploads', 'miner_b'],
    ]);
    now = 1000;
    log.hit('too_many_uploads', 'miner_a', { minerId: 'miner_a' });
    expect(lines[2]).toMatchObject({ event: 'limit.too_many_uploads', level: 'warn', suppressed: 999 });
  });

  it('tells onHit of every hit, also of those it does not log', () => {
    const lines: unknown[] = [];
    const hits: string[] = [];
    const log = createLimitLog(createLogger({ write: (line) => lines.push(line) }), {
      onHit: (limit) => hits.push(limit),
    });
    for (let i = 0; i < 5; i++) log.hit('rate_limited', 'miner_a', {});
    log.hit('maxBodyBytes', 'addr', {});
    expect(lines.length).toBe(2);
    expect(hits).toEqual([
      'rate_limited',
      'rate_limited',
      'rate_limited',
      'rate_limited',
      'rate_limited',
      'maxBodyBytes',
    ]);
  });

  it('forgets keys past its bound instead of growing without limit', () => {
    const lines: unknown[] = [];
    const log = createLimitLog(createLogger({ write: (line) => lines.push(line) }), { maxKeys: 10 });
    for (let i = 0; i < 100; i++) log.hit('upload_stalled', `key${i}`, {});
    log.hit('upload_stalled', 'key0', {});
    expect(lines.length).toBe(101);
  });
});
