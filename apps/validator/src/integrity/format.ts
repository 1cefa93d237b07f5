// Rule `format`: the artifact parsed strictly (header, tensor names, shapes and dtypes of the base
// architecture, finite values) within the size limit, and a LoRA adapter's rank and target modules are
// allowed. The parse itself happens in evaluation (FormatFacts); this rule only applies the limits.

import { Type } from '@sinclair/typebox';
import type { Rule } from './rule.js';

/** Parameters of the format rule. */
const FormatParams = Type.Object(
  {
    /** Largest LoRA rank accepted. */
    maxLoraRank: Type.Integer({ minimum: 1, default: 64 }),
    /** Module names a LoRA adapter may target (matched like PEFT: equal, or a `.name` suffix). */
    allowedTargetModules: Type.Array(Type.String({ minLength: 1 }), {
      default: ['c_attn', 'c_proj', 'c_fc'],
    }),
    /** Largest artifact bundle in bytes (default 4 GiB). */
    maxArtifactBytes: Type.Integer({ minimum: 1, default: 4 * 1024 ** 3 }),
  },
  { additionalProperties: false },
);

function allowed(module: string, allowedModules: readonly string[]): boolean {
  return allowedModules.some((name) => module === name || module.endsWith(`.${name}`));
}

/** The artifact parses, fits the base architecture and the size, rank and module limits. */
export const formatRule: Rule<typeof FormatParams> = {
  id: 'format',
  summary:
    'The artifact parses strictly (tensor names, shapes and dtypes of the base architecture, finite values), fits the size limit, and a LoRA adapter stays within the rank and target-module limits.',
  toPass:
    'Submit a well-formed PEFT adapter or full weights of the base architecture; there is no way around it.',
  params: FormatParams,
  defaults: {
    maxLoraRank: 64,
    allowedTargetModules: ['c_attn', 'c_proj', 'c_fc'],
    maxArtifactBytes: 4 * 1024 ** 3,
  },
  defaultAction: 'zero',
  check({ params, submission }) {
    const { format } = submission;
    const problems: string[] = [];
    if (!format.ok) problems.push(format.code ?? 'unparsable');
    if (format.bytes > params.maxArtifactBytes) problems.push('too_large');
    const evidence: Record<string, unknown> = {
      parsed: format.ok,
      code: format.code ?? null,
      detail: format.detail ?? null,
      kind: submission.artifactKind,
      bytes: format.bytes,
      maxArtifactBytes: params.maxArtifactBytes,
      tensors: format.tensors,
      parameters: format.parameters,
    };
    if (submission.artifactKind === 'lora') {
      const rank = format.loraRank;
      const modules = format.targetModules ?? [];
      const refused = modules.filter((module) => !allowed(module, params.allowedTargetModules));
      if (rank === undefined || rank < 1 || rank > params.maxLoraRank) problems.push('lora_rank');
      if (modules.length === 0 || refused.length > 0) problems.push('target_modules');
      Object.assign(evidence, {
        loraRank: rank ?? null,
        maxLoraRank: params.maxLoraRank,
        targetModules: modules,
        allowedTargetModules: params.allowedTargetModules,
        refusedModules: refused,
      });
    }
    return { passed: problems.length === 0, evidence: { ...evidence, problems } };
  },
};
