import { describe, expect, it } from 'vitest';
import { rulePatch } from './rule-patch.js';

describe('rules set flags as a PATCH body', () => {
  it('reads values as JSON when they parse and as text otherwise; a dotted key nests', () => {
    expect(
      rulePatch({
        enabled: 'false',
        action: 'flag',
        params: [
          'maxRank=64',
          'strict=true',
          'modules=["c_attn"]',
          'name=abc',
          'thresholds.qa.gap=1.5',
          'thresholds.qa.ratio=2',
        ],
      }),
    ).toEqual({
      ok: true,
      value: {
        enabled: false,
        action: 'flag',
        params: {
          maxRank: 64,
          strict: true,
          modules: ['c_attn'],
          name: 'abc',
          thresholds: { qa: { gap: 1.5, ratio: 2 } },
        },
      },
    });
    expect(rulePatch({ enabled: 'true' })).toEqual({ ok: true, value: { enabled: true } });
    expect(rulePatch({ params: ['note=a=b'] })).toEqual({ ok: true, value: { params: { note: 'a=b' } } });
  });

  it('refuses nothing to change, a pair without a key or "=", and prototype keys', () => {
    for (const flags of [
      {},
      { params: [] },
      { params: ['maxRank'] },
      { params: ['=3'] },
      { params: ['a..b=1'] },
      { params: ['__proto__.polluted=1'] },
      { params: ['a.constructor=1'] },
    ]) {
      expect(rulePatch(flags).ok, JSON.stringify(flags)).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
