import type { JobResultsView, RuleView } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { resultsTable, ruleTable } from './judge-format.js';

describe('judge tables', () => {
  it('shows a failed evaluation with its error, no base, and the misses with their quality', () => {
    const results: JobResultsView = {
      jobId: 'job_1',
      status: 'evaluating',
      evaluation: { status: 'failed', attempts: 3, error: 'worker crashed' },
      base: null,
      submissions: [],
      misses: [{ minerId: 'mnr_late', displayName: 'late', owner: 'bo', quality: 0.5 }],
    };
    const text = resultsTable(results);
    expect(text).toContain('job_1  evaluating, evaluation failed (3 attempts): worker crashed');
    expect(text).toContain('base: -');
    expect(text).toContain('no evaluated submissions');
    expect(text).toMatch(/mnr_late\s+late\s+bo\s+0\.5000/);
  });

  it('lists nested parameters as the dotted keys rules set takes, marking the changed ones', () => {
    const rule: RuleView = {
      id: 'test-leak',
      summary: 's',
      toPass: 't',
      enabled: false,
      action: 'flag',
      params: { minPool: 3, knowledge: { minExcess: 0.1, minFamiliarityRatio: 0.85 } },
      defaults: { minPool: 3, knowledge: { minExcess: 0.15, minFamiliarityRatio: 0.85 } },
    };
    const lines = ruleTable([rule]).split('\n');
    expect(lines[2]).toMatch(/^test-leak\s+no\s+flag\s+minPool=3$/);
    expect(lines[3]?.trim()).toBe('knowledge.minExcess=0.1*');
    expect(lines[4]?.trim()).toBe('knowledge.minFamiliarityRatio=0.85');
  });
});
