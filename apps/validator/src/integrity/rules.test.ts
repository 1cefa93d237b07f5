import type { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import type { Rule } from './rule.js';
import {
  decodeRuleSetting,
  decodeRuleSettings,
  defaultRuleSettings,
  judgeSubmission,
  RULES,
  storedRuleParams,
} from './rules.js';
import { contextFor, submissionFacts } from './test-facts.js';

const { params: _, ...context } = contextFor(RULES[0]!, submissionFacts('m1'));

describe('rule registry', () => {
  it('lists each rule once, with defaults that satisfy its own schema and equal its schema defaults', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(ids).toEqual(['commit', 'format', 'lineage', 'not-base', 'duplicate', 'test-leak', 'owner-limit']);
    for (const rule of RULES) {
      expect(Value.Check(rule.params, rule.defaults), rule.id).toBe(true);
      expect(Value.Create(rule.params), rule.id).toEqual(rule.defaults);
      expect(rule.summary.length, rule.id).toBeGreaterThan(20);
      expect(rule.toPass.length, rule.id).toBeGreaterThan(20);
    }
  });
});

describe('judgeSubmission', () => {
  it('returns a verdict with evidence per enabled rule, with the configured action', () => {
    const settings = defaultRuleSettings();
    settings[1]!.setting.enabled = false;
    settings[0]!.setting.action = 'flag';
    const verdicts = judgeSubmission(settings, context);
    expect(verdicts.map((v) => v.rule)).toEqual([
      'commit',
      'lineage',
      'not-base',
      'duplicate',
      'test-leak',
      'owner-limit',
    ]);
    expect(verdicts[0]).toMatchObject({ rule: 'commit', passed: true, action: 'flag' });
    for (const verdict of verdicts)
      expect(Object.keys(verdict.evidence).length, verdict.rule).toBeGreaterThan(0);
  });

  it('fails a rule that throws, with the error as evidence, and still runs the others', () => {
    const broken: Rule = {
      ...RULES[0]!,
      id: 'broken',
      check: () => {
        throw new Error('boom');
      },
    };
    const verdicts = judgeSubmission(
      [
        { rule: broken, setting: { enabled: true, action: 'zero', params: {} } },
        ...defaultRuleSettings().slice(0, 1),
      ],
      context,
    );
    expect(verdicts).toMatchObject([
      { rule: 'broken', passed: false, evidence: { error: 'boom' } },
      { rule: 'commit', passed: true },
    ]);
  });
});

describe('decodeRuleSetting', () => {
  it('merges partial parameters over the defaults', () => {
    const decoded = decodeRuleSetting('format', { action: 'flag', params: { maxLoraRank: 16 } });
    expect(decoded).toEqual({
      ok: true,
      value: {
        enabled: true,
        action: 'flag',
        params: {
          maxLoraRank: 16,
          allowedTargetModules: ['c_attn', 'c_proj', 'c_fc'],
          maxArtifactBytes: 4 * 1024 ** 3,
        },
      },
    });
    const nested = decodeRuleSetting('test-leak', { params: { procedural: { minExcess: 0.1 } } });
    expect(nested.ok && nested.value.params).toMatchObject({
      procedural: { minExcess: 0.1, minFamiliarityRatio: 0.9 },
    });
  });

  it('refuses a parameter out of range, naming the field', () => {
    const decoded = decodeRuleSetting('format', { params: { maxLoraRank: 0 } });
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.error.code).toBe('invalid_body');
      expect(decoded.error.issues.map((issue) => issue.path)).toContain('/params/maxLoraRank');
    }
    const narrow = decodeRuleSetting('test-leak', { params: { bandwidth: 1e-200 } });
    expect(!narrow.ok && narrow.error.issues.map((issue) => issue.path)).toContain('/params/bandwidth');
    const nested = decodeRuleSetting('test-leak', { params: { knowledge: { minExcess: -0.1 } } });
    expect(!nested.ok && nested.error.issues.map((issue) => issue.path)).toContain(
      '/params/knowledge/minExcess',
    );
  });

  it('refuses unknown parameters, actions and rules', () => {
    const extra = decodeRuleSetting('lineage', { params: { minCosine: 0.5 } });
    expect(!extra.ok && extra.error.issues.map((issue) => issue.path)).toContain('/params/minCosine');
    const action = decodeRuleSetting('lineage', { action: 'ban' });
    expect(!action.ok && action.error.issues.map((issue) => issue.path)).toContain('/action');
    const unknown = decodeRuleSetting('nope', {});
    expect(!unknown.ok && unknown.error.issues).toEqual([{ path: '/rule', message: 'unknown rule nope' }]);
  });

  it('accepts a setting that only switches a rule off', () => {
    const decoded = decodeRuleSetting('owner-limit', { enabled: false });
    expect(decoded.ok && decoded.value).toMatchObject({ enabled: false, action: 'zero' });
  });
});

it('a rule schema built with Type has a default for every property (what decodeRuleSetting relies on)', () => {
  for (const rule of RULES) {
    const schema = rule.params as ReturnType<typeof Type.Object>;
    for (const [name, property] of Object.entries(schema.properties)) {
      expect((property as { default?: unknown }).default, `${rule.id}.${name}`).toBeDefined();
    }
  }
});

describe('decodeRuleSettings', () => {
  it('configures every rule, defaults for those not mentioned', () => {
    const decoded = decodeRuleSettings({ 'test-leak': { action: 'zero' }, duplicate: { enabled: false } });
    expect(decoded.ok).toBe(true);
    if (decoded.ok) {
      expect(decoded.value.map(({ rule }) => rule.id)).toEqual(RULES.map((rule) => rule.id));
      const byId = Object.fromEntries(decoded.value.map(({ rule, setting }) => [rule.id, setting]));
      expect(byId['test-leak']).toMatchObject({ enabled: true, action: 'zero' });
      expect(byId.duplicate).toMatchObject({ enabled: false, action: 'zero' });
      expect(byId.lineage).toMatchObject({
        enabled: true,
        action: 'zero',
        params: { maxDeltaDirectionCosine: 0.4 },
      });
    }
  });

  it('collects issues of every rule, prefixed with its id, and unknown rule ids', () => {
    const decoded = decodeRuleSettings({
      format: { params: { maxLoraRank: -1 } },
      lineage: { action: 'x' },
      nope: {},
    });
    expect(!decoded.ok && decoded.error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['/nope', '/format/params/maxLoraRank', '/lineage/action']),
    );
    expect(decodeRuleSettings([]).ok).toBe(false);
  });
});

describe('storedRuleParams', () => {
  const leak = RULES.find((rule) => rule.id === 'test-leak')!;

  it('reads parameters saved by an older validator with the current schema', () => {
    // Saved before test-leak's thresholds were renamed: the old keys go, the new ones take their defaults,
    // and a value the operator set that still exists is kept.
    const stored = {
      knowledge: { minFamiliarityRatio: 0.8, ratioScale: 0.06, gapScale: 0.06 },
      procedural: { minFamiliarityRatio: 0.9, ratioScale: 0.05, gapScale: 0.06 },
      minPool: 4,
    };
    const defaults = leak.defaults as Record<string, unknown> & { knowledge: Record<string, number> };
    expect(storedRuleParams(leak, stored)).toEqual({
      ...defaults,
      knowledge: { ...defaults.knowledge, minFamiliarityRatio: 0.8 },
      minPool: 4,
    });
  });

  it('falls back to the defaults when what is stored no longer checks', () => {
    expect(storedRuleParams(leak, { minPool: 0 })).toEqual(leak.defaults);
    expect(storedRuleParams(leak, 'not an object')).toEqual(leak.defaults);
  });
});
