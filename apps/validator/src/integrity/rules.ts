// The registry of integrity rules (adding a rule = one file + one line here), the judging of one submission by
// the enabled rules with their operator settings, and the decoding of operator-supplied settings. It owns no
// storage: settings come in, verdicts go out.

import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { decodeBody, fail, type Issue, ok, type Result } from '@tuning-arena/protocol';
import type { RuleAction, Verdict } from '../scoring/job-score.js';
import { commitRule } from './commit.js';
import { duplicateRule } from './duplicate.js';
import { formatRule } from './format.js';
import { testLeakRule } from './leak.js';
import { lineageRule } from './lineage.js';
import { notBaseRule } from './not-base.js';
import { ownerLimitRule } from './owner-limit.js';
import type { Rule, RuleContext } from './rule.js';

/** Every integrity rule, in report order (the cast forgets each rule's own params type: check takes it). */
export const RULES: readonly Rule[] = [
  commitRule,
  formatRule,
  lineageRule,
  notBaseRule,
  duplicateRule,
  testLeakRule,
  ownerLimitRule,
] as unknown as readonly Rule[];

/** How the operator runs one rule. */
interface RuleSetting {
  enabled: boolean;
  action: RuleAction;
  params: Record<string, unknown>;
}

/** A rule with its setting. */
export interface ConfiguredRule {
  rule: Rule;
  setting: RuleSetting;
}

/** Every rule enabled with its default action and parameters. */
export function defaultRuleSettings(rules: readonly Rule[] = RULES): ConfiguredRule[] {
  return rules.map((rule) => ({
    rule,
    setting: {
      enabled: true,
      action: rule.defaultAction,
      params: structuredClone(rule.defaults) as Record<string, unknown>,
    },
  }));
}

/** The context without its params: what every rule of one submission shares. */
type JudgeContext = Omit<RuleContext<unknown>, 'params'>;

/** Judges one submission by every enabled rule; a rule that throws fails with the error as its evidence. */
export function judgeSubmission(rules: readonly ConfiguredRule[], context: JudgeContext): Verdict[] {
  return rules
    .filter(({ setting }) => setting.enabled)
    .map(({ rule, setting }) => {
      try {
        const outcome = rule.check({ ...context, params: setting.params as never });
        return { rule: rule.id, passed: outcome.passed, action: setting.action, evidence: outcome.evidence };
      } catch (error) {
        // A bug in one rule must not stop the others; failing closed keeps a broken check visible.
        return {
          rule: rule.id,
          passed: false,
          action: setting.action,
          evidence: { error: error instanceof Error ? error.message : String(error) },
        };
      }
    });
}

/** An operator's setting of one rule: every field optional, parameters merged over the defaults. */
const RuleSettingInput = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    action: Type.Optional(
      Type.Union([
        Type.Literal('zero'),
        Type.Literal('miss'),
        Type.Literal('worse_of'),
        Type.Literal('flag'),
      ]),
    ),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

function merge(defaults: unknown, given: unknown): unknown {
  if (
    typeof defaults !== 'object' ||
    defaults === null ||
    Array.isArray(defaults) ||
    typeof given !== 'object' ||
    given === null ||
    Array.isArray(given)
  ) {
    return given === undefined ? defaults : given;
  }
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(given)) out[key] = merge(out[key], value);
  return out;
}

/**
 * A rule's stored parameters read with the rule's current schema: merged over its defaults (a parameter added
 * since keeps its default), parameters the rule no longer has dropped, and the defaults whole when what is
 * left does not check. Without this, settings saved by an older validator would leave new thresholds
 * undefined, and a comparison with undefined silently passes.
 */
export function storedRuleParams(rule: Rule, stored: unknown): Record<string, unknown> {
  const merged = Value.Clean(rule.params, merge(structuredClone(rule.defaults), stored));
  return (Value.Check(rule.params, merged) ? merged : structuredClone(rule.defaults)) as Record<
    string,
    unknown
  >;
}

/**
 * Decodes an operator's setting of rule `ruleId` (unknown JSON): unknown rules, actions and parameters, and
 * values out of range are refused with issues naming the field (`/params/maxLoraRank`).
 */
export function decodeRuleSetting(
  ruleId: string,
  input: unknown,
  rules: readonly Rule[] = RULES,
): Result<RuleSetting> {
  const rule = rules.find((candidate) => candidate.id === ruleId);
  if (!rule) {
    return fail('invalid_body', `unknown rule ${ruleId}`, [
      { path: '/rule', message: `unknown rule ${ruleId}` },
    ]);
  }
  const shape = decodeBody(RuleSettingInput, input);
  if (!shape.ok) return shape;
  const params = merge(structuredClone(rule.defaults), shape.value.params ?? {});
  const decoded = decodeBody(rule.params, params);
  if (!decoded.ok) {
    const issues: Issue[] = decoded.error.issues.map((issue) => ({
      path: `/params${issue.path === '/' ? '' : issue.path}`,
      message: issue.message,
    }));
    return fail('invalid_body', `invalid parameters of rule ${ruleId}`, issues);
  }
  return ok({
    enabled: shape.value.enabled ?? true,
    action: shape.value.action ?? rule.defaultAction,
    params: Value.Clone(decoded.value) as Record<string, unknown>,
  });
}

/**
 * Decodes the operator's settings of several rules at once (`{ [ruleId]: setting }`) into the configured
 * registry: rules not mentioned keep their defaults; issues are prefixed with the rule id (`/format/params/...`).
 */
export function decodeRuleSettings(input: unknown, rules: readonly Rule[] = RULES): Result<ConfiguredRule[]> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('invalid_body', 'rule settings must be an object keyed by rule id', [
      { path: '/', message: 'expected an object' },
    ]);
  }
  const given = input as Record<string, unknown>;
  const issues: Issue[] = Object.keys(given)
    .filter((id) => !rules.some((rule) => rule.id === id))
    .map((id) => ({ path: `/${id}`, message: `unknown rule ${id}` }));
  const configured: ConfiguredRule[] = [];
  for (const rule of rules) {
    const decoded = decodeRuleSetting(rule.id, given[rule.id] ?? {}, rules);
    if (decoded.ok) configured.push({ rule, setting: decoded.value });
    else
      issues.push(...decoded.error.issues.map((issue) => ({ ...issue, path: `/${rule.id}${issue.path}` })));
  }
  return issues.length > 0 ? fail('invalid_body', 'invalid rule settings', issues) : ok(configured);
}
