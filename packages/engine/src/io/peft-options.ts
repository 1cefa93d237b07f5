// PEFT adapter_config.json fields that change what a LoRA computes, and which the engine does not implement.
// Each is accepted only at its PEFT default (unset, null, false or empty); anything else is refused with a
// code, never loaded as a plain LoRA that would give other outputs than PEFT does.

import { type FileResult, fileFailure } from '../errors.js';

type RefusalCode = 'unsupported_lora_variant' | 'unsupported_lora_pattern' | 'unsupported_option';

/** Field name, the code that refuses it and what setting it would mean. */
const REFUSED: readonly (readonly [string, RefusalCode, string])[] = [
  ['use_rslora', 'unsupported_lora_variant', 'rank-stabilised scaling alpha / sqrt(r)'],
  ['use_dora', 'unsupported_lora_variant', 'DoRA weight decomposition'],
  ['lora_bias', 'unsupported_lora_variant', 'a bias on lora_B'],
  ['use_qalora', 'unsupported_lora_variant', 'QALoRA input pooling'],
  ['alora_invocation_tokens', 'unsupported_lora_variant', 'activated LoRA'],
  ['alpha_pattern', 'unsupported_lora_pattern', 'per-module lora_alpha'],
  ['rank_pattern', 'unsupported_lora_pattern', 'per-module rank'],
  ['layers_to_transform', 'unsupported_lora_pattern', 'adapting only some layers'],
  ['layers_pattern', 'unsupported_lora_pattern', 'adapting only some layers'],
  ['exclude_modules', 'unsupported_lora_pattern', 'excluded modules'],
  ['modules_to_save', 'unsupported_option', 'fully trained module copies'],
  ['trainable_token_indices', 'unsupported_option', 'trained embedding rows'],
  ['target_parameters', 'unsupported_option', 'adapted parameters'],
  ['layer_replication', 'unsupported_option', 'replicated layers'],
];

/** PEFT's defaults for these fields: unset, null, false, '' or an empty list or object. */
function isDefault(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** The refusal for the first unsupported PEFT option set in `o`, or undefined when none is. */
export function unsupportedPeftOption(o: Record<string, unknown>): FileResult<never> | undefined {
  for (const [field, code, meaning] of REFUSED) {
    if (!isDefault(o[field])) return fileFailure(code, `${field} (${meaning}) is not supported`);
  }
  if (o.bias !== undefined && o.bias !== 'none')
    return fileFailure('unsupported_option', 'LoRA bias training');
  return undefined;
}
