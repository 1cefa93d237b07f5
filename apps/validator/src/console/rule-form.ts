// Turns a rule form from the console into the API's rule patch: `enabled` as true/false, each
// `param.<name>` field read as JSON when it parses (numbers, booleans) and as text otherwise, only for the
// rule's own parameters. The judge decodes the result against the rule's schema, as for the JSON API.

import type { PatchRuleBody, RuleView } from '@tuning-arena/protocol';

/** The patch a submitted rule form asks for. */
export function decodeRuleForm(form: URLSearchParams, rule: RuleView): PatchRuleBody {
  const patch: PatchRuleBody = {};
  const enabled = form.get('enabled');
  if (enabled === 'true' || enabled === 'false') patch.enabled = enabled === 'true';
  const params: Record<string, unknown> = {};
  for (const name of Object.keys(rule.defaults)) {
    const raw = form.get(`param.${name}`);
    if (raw === null) continue;
    try {
      params[name] = JSON.parse(raw);
    } catch {
      params[name] = raw;
    }
  }
  if (Object.keys(params).length > 0) patch.params = params;
  return patch;
}
