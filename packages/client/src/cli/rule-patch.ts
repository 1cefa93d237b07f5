// `tuning-arena rules set`'s flags as the PATCH body of one rule: `--enabled true|false`, `--action A` and
// each `--param key=value` (a dotted key reaches into nested parameters). Pure; it does not know which
// parameters a rule has: the validator checks them and names the one it refuses.

import type { PatchRuleBody, Result } from '@tuning-arena/protocol';

/** The flags of `rules set`, as parsed. */
export interface RuleFlags {
  enabled?: string | undefined;
  action?: string | undefined;
  params?: string[] | undefined;
}

/** A value is JSON when it parses as JSON (`0.9`, `true`, `[1,2]`), else it is taken as a string. */
function paramValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Builds the body; a failure is the usage message to show. */
export function rulePatch(flags: RuleFlags): Result<PatchRuleBody, string> {
  const params: Record<string, unknown> = {};
  for (const pair of flags.params ?? []) {
    const at = pair.indexOf('=');
    const path = at <= 0 ? [] : pair.slice(0, at).split('.');
    if (path.length === 0 || path.some((key) => key === '' || FORBIDDEN_KEYS.has(key))) {
      return {
        ok: false,
        error: `--param wants key=value (a dotted key for nested parameters), got ${JSON.stringify(pair)}`,
      };
    }
    let target = params;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1] as string] = paramValue(pair.slice(at + 1));
  }
  const body: PatchRuleBody = {
    ...(flags.enabled === undefined ? {} : { enabled: flags.enabled === 'true' }),
    ...(flags.action === undefined ? {} : { action: flags.action as NonNullable<PatchRuleBody['action']> }),
    ...(Object.keys(params).length === 0 ? {} : { params }),
  };
  if (Object.keys(body).length === 0)
    return { ok: false, error: 'nothing to change: give --enabled, --action or --param' };
  return { ok: true, value: body };
}
