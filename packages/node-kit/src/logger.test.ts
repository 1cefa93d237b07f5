import { describe, expect, it } from 'vitest';
import { createLogger, createMemoryLogger, jsonLine, textLine } from './logger.js';

function capture(isTTY: boolean) {
  const lines: string[] = [];
  return { lines, stream: { isTTY, write: (text: string) => lines.push(text) } };
}

describe('structured logger', () => {
  it('writes JSON lines with dotted event names when the stream is not a terminal', () => {
    const { lines, stream } = capture(false);
    createLogger({ stream }).warn('offer.expired', { jobId: 'job_1', error: new RangeError('late') });
    const entry = JSON.parse(lines[0] ?? '');
    expect(entry).toMatchObject({
      level: 'warn',
      event: 'offer.expired',
      jobId: 'job_1',
      error: { name: 'RangeError', message: 'late' },
    });
    expect(Number.isNaN(Date.parse(entry.at))).toBe(false);
  });

  it('writes short readable lines on a terminal, and JSON there too when told', () => {
    const tty = capture(true);
    createLogger({ stream: tty.stream }).info('miner.connected', { minerId: 'mnr_1', note: 'two words' });
    expect(tty.lines[0]).toMatch(
      /^\d\d:\d\d:\d\d info {2}miner\.connected minerId=mnr_1 note="two words"\n$/,
    );
    const forced = capture(true);
    createLogger({ stream: forced.stream, format: 'json' }).info('miner.connected');
    expect(JSON.parse(forced.lines[0] ?? '')).toMatchObject({ event: 'miner.connected' });
  });

  it('drops events below the level and adds bound fields to every event', () => {
    const { logger, entries } = createMemoryLogger('info');
    logger.debug('noise');
    logger.info('job.started', { jobId: 'job_1' });
    expect(entries.map((e) => [e.event, e.fields])).toEqual([['job.started', { jobId: 'job_1' }]]);
    const lines: string[] = [];
    createLogger({ bindings: { minerId: 'mnr_1' }, write: (line) => lines.push(line) }).info('job.started');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ minerId: 'mnr_1', event: 'job.started' });
  });

  it('hands JSON lines to a write callback', () => {
    const lines: string[] = [];
    createLogger({ write: (line) => lines.push(line) }).error('db.failed', { code: 'busy' });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'error', event: 'db.failed', code: 'busy' });
  });

  it('formats one entry either way', () => {
    const entry = { at: '2026-12-01T10:00:00.000Z', level: 'error' as const, event: 'x.y', fields: { n: 1 } };
    expect(jsonLine(entry)).toBe('{"at":"2026-12-01T10:00:00.000Z","level":"error","event":"x.y","n":1}');
    expect(textLine(entry)).toBe('10:00:00 error x.y n=1');
  });
});
