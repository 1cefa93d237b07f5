import { describe, expect, it } from 'vitest';
import { type JobEntry, scoreJob, type Verdict } from './job-score.js';
import { geometricMean } from './quality.js';

const settings = { weightTest: 0.5, tau: 0.1, missFactor: 0.5 };
const pass = (rule: string): Verdict => ({ rule, passed: true, action: 'zero', evidence: {} });
const fail = (rule: string, action: Verdict['action']): Verdict => ({
  rule,
  passed: false,
  action,
  evidence: { x: 1 },
});
const sub = (
  minerId: string,
  test: number,
  synthetic: number,
  verdicts: Verdict[] = [pass('format')],
): JobEntry => ({
  minerId,
  kind: 'submission',
  test,
  synthetic,
  verdicts,
});

describe('scoring one job', () => {
  it('normalises the valid pool to a geometric mean of 1 and leaves zero and miss out of it', () => {
    const scored = scoreJob(
      [
        sub('a', 1.0, 1.2),
        sub('b', 1.1, 1.3),
        sub('c', 0.9, 1.0, [fail('duplicate', 'zero')]),
        { minerId: 'd', kind: 'miss' },
      ],
      settings,
    );
    const byMiner = Object.fromEntries(scored.map((s) => [s.minerId, s]));
    expect(geometricMean([byMiner.a?.quality ?? 0, byMiner.b?.quality ?? 0])).toBeCloseTo(1, 12);
    expect(byMiner.a?.quality).toBeGreaterThan(1);
    expect(byMiner.c).toMatchObject({ status: 'zeroed', quality: 0, flags: [{ rule: 'duplicate' }] });
    expect(byMiner.d).toMatchObject({ status: 'missed', quality: 0.5, combined: null });
  });

  it('gives a single valid submission 1 and scores a worse_of verdict on the worse split', () => {
    expect(scoreJob([sub('a', 2, 3)], settings)).toEqual([
      { minerId: 'a', status: 'valid', scoredLoss: 2.5, combined: 2.5, quality: 1, flags: [] },
    ]);
    const leak = scoreJob(
      [sub('a', 0.5, 1.5, [fail('test-leak', 'worse_of')]), sub('b', 1.0, 1.0)],
      settings,
    );
    expect(leak[0]).toMatchObject({ status: 'valid', scoredLoss: 1.5, combined: 1.0 });
    expect(leak[0]?.quality).toBeLessThan(1);
  });

  it('caps a valid loss at the base model so one terrible model cannot inflate the others', () => {
    const uncapped = scoreJob([sub('a', 1, 1), sub('b', 1.1, 1.1), sub('junk', 50, 50)], settings);
    const capped = scoreJob([sub('a', 1, 1), sub('b', 1.1, 1.1), sub('junk', 50, 50)], settings, 2);
    expect(uncapped[0]?.quality).toBeGreaterThan(1e60);
    expect(capped[2]).toMatchObject({ scoredLoss: 2, combined: 50 });
    expect(capped[0]?.quality).toBeLessThan(Math.exp(8));
  });

  it('treats a failed miss rule as a miss and a failed flag rule as shown only', () => {
    const scored = scoreJob(
      [sub('a', 1, 1, [fail('commit', 'miss')]), sub('b', 1, 1, [fail('owner-limit', 'flag')])],
      settings,
    );
    expect(scored.map((s) => [s.status, s.quality])).toEqual([
      ['missed', 0.5],
      ['valid', 1],
    ]);
    expect(scored[1]?.flags).toHaveLength(1);
  });

  it('changes exactly the toggled submission when a rule is switched off', () => {
    const entries = (action: Verdict['action']) => [
      sub('a', 1, 1),
      sub('b', 1.2, 1.2),
      sub('c', 0.8, 0.8, [fail('duplicate', action)]),
    ];
    const on = scoreJob(entries('zero'), settings);
    const off = scoreJob(entries('flag'), settings);
    expect(on[2]?.quality).toBe(0);
    expect(off[2]?.quality).toBeGreaterThan(1);
    // a and b are renormalised against the larger pool; their ratio is unchanged.
    expect((on[0]?.quality ?? 0) / (on[1]?.quality ?? 1)).toBeCloseTo(
      (off[0]?.quality ?? 0) / (off[1]?.quality ?? 1),
      12,
    );
  });
});
