import { describe, expect, it } from 'vitest';
import { commitRule } from './commit.js';
import { contextFor, submissionFacts } from './test-facts.js';

const judge = (overrides: Parameters<typeof submissionFacts>[1], graceMs = 0) =>
  commitRule.check(contextFor(commitRule, submissionFacts('m1', overrides), { graceMs }));

describe('commit rule', () => {
  it('passes a commit before the deadline whose upload matched', () => {
    const outcome = judge({});
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence).toMatchObject({ beforeDeadline: true, uploaded: true, marginMs: 3_600_000 });
  });

  it('fails a commit at the deadline exactly, and one a millisecond late', () => {
    expect(judge({ committedAt: '2026-12-01T11:00:00.000Z' }).passed).toBe(false);
    expect(judge({ committedAt: '2026-12-01T11:00:00.001Z' }).evidence).toMatchObject({
      beforeDeadline: false,
      marginMs: -1,
    });
  });

  it('allows the configured clock-skew grace', () => {
    expect(judge({ committedAt: '2026-12-01T11:00:00.000Z' }, 1).passed).toBe(true);
  });

  it('fails when the uploaded bytes did not match the committed hash', () => {
    const outcome = judge({ uploaded: false });
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence).toMatchObject({ uploaded: false, beforeDeadline: true });
  });

  it('fails a commit time that does not parse', () => {
    expect(judge({ committedAt: 'yesterday' }).passed).toBe(false);
  });
});
