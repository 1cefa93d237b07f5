import { describe, expect, it } from 'vitest';
import { createProgressDisplay } from './progress-display.js';

function terminal(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } };
}

const deadline = new Date(100_000).toISOString();

describe('progress display', () => {
  it('draws one bar per training job under the log lines on a terminal', () => {
    let now = 0;
    const { writes, stream } = terminal(true);
    const display = createProgressDisplay(stream, () => now);
    display.progress('job_a', { step: 0, trainLoss: 3, etaSeconds: 10 }, deadline);
    now = 10_000;
    display.progress('job_a', { step: 50, trainLoss: 2.5, etaSeconds: 10 }, deadline);
    display.progress('job_b', { step: 1, trainLoss: 4, etaSeconds: 99 }, null);
    const last = writes.at(-1) ?? '';
    expect(last.split('\n').filter(Boolean)).toHaveLength(2);
    expect(last).toMatch(/job_a \[#+\.*\]\s+50% 50\/100 loss 2\.5000 5\.0 steps\/s deadline in 90s/);
    expect(last).toContain('job_b');
    display.line('12:00:00 info  offer.accepted');
    // The block is erased (cursor up two lines), the log line written, the bars drawn again below it.
    expect(writes.slice(-3)).toEqual([
      '\u001b[2F\u001b[J',
      '12:00:00 info  offer.accepted\n',
      expect.stringContaining('job_a'),
    ]);
    display.finish('job_a', 'submitting');
    expect(writes.at(-2)).toBe('job_a submitting\n');
    expect(display.jobs()).toEqual(['job_b']);
  });

  it('writes plain lines, a bar line per 10 %, when the output is not a terminal', () => {
    const { writes, stream } = terminal(false);
    const display = createProgressDisplay(stream, () => 0);
    display.line('hello');
    display.progress('job_a', { step: 1, trainLoss: 3, etaSeconds: 0 }, null);
    display.finish('job_a', 'uploaded');
    expect(writes[0]).toBe('hello\n');
    expect(writes.join('')).not.toContain('\u001b');
    expect(writes.at(-1)).toBe('job_a uploaded\n');
  });
});
