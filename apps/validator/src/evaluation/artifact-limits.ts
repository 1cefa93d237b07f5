// What an artifact may contain before any of it is read: the files each kind allows, size and count
// limits, and the machine-readable codes a refused artifact gets. It reads nothing and decides nothing.

import type { Result } from '@tuning-arena/protocol';

/** The two kinds of submission. */
export type ArtifactKind = 'lora' | 'full';

/** Why an artifact was refused (FormatFacts.code). */
export type FormatCode =
  | 'not_uploaded'
  | 'bundle_invalid'
  | 'bundle_too_large'
  | 'too_many_files'
  | 'unsafe_file_name'
  | 'unexpected_file'
  | 'missing_file'
  | 'file_too_large'
  | 'invalid_json'
  | 'invalid_peft_config'
  | 'invalid_hf_config'
  | 'config_mismatch'
  | 'tokenizer_mismatch'
  | 'safetensors_header_too_large'
  | 'invalid_safetensors'
  | 'unsupported_dtype'
  | 'unexpected_tensor'
  | 'missing_tensor'
  | 'shape_mismatch'
  | 'non_finite_weights'
  | 'lora_rank_too_large'
  | 'lora_scale_too_large'
  | 'unknown_target_module'
  | 'evaluation_failed'
  | 'evaluation_timeout';

/** A refusal: its code and a human-readable detail. */
export interface FormatFailure {
  code: FormatCode;
  detail: string;
}

/** The outcome of one artifact step. */
export type ArtifactResult<T> = Result<T, FormatFailure>;

/** A failed artifact step. */
export function refuse(code: FormatCode, detail: string): { ok: false; error: FormatFailure } {
  return { ok: false, error: { code, detail } };
}

/** Required and optional file names per kind (plain names; nothing else may be in the bundle). */
export { ARTIFACT_FILES } from '@tuning-arena/protocol';

/** Limits on an artifact and its contents. */
export interface ArtifactLimits {
  /** Largest bundle file in bytes. */
  maxBundleBytes: number;
  /** Most files in a bundle. */
  maxFiles: number;
  /** Largest JSON side file (configs, tokenizer). */
  maxJsonBytes: number;
  /** Largest weights file. */
  maxWeightsBytes: number;
  /** Largest safetensors JSON header. */
  maxSafetensorsHeaderBytes: number;
  /** Highest LoRA rank accepted (also at most the base's width). */
  maxLoraRank: number;
  /** Largest LoRA scale lora_alpha / r (a huge scale only overflows the merged weights). */
  maxLoraScale: number;
}

/** Default limits: generous for the engine's presets, far below what would hurt the validator. */
export const DEFAULT_ARTIFACT_LIMITS: ArtifactLimits = {
  maxBundleBytes: 1 << 30,
  maxFiles: 3,
  maxJsonBytes: 1 << 20,
  maxWeightsBytes: 1 << 30,
  maxSafetensorsHeaderBytes: 1 << 20,
  maxLoraRank: 64,
  maxLoraScale: 1024,
};

/** The dtypes a submission's tensors may use (all decode to float32 without surprises). */
export const ALLOWED_DTYPES: ReadonlySet<string> = new Set(['F32', 'F16', 'BF16']);

/** Whether a file name is a JSON side file (as opposed to weights). */
export function isJsonFile(name: string): boolean {
  return name.endsWith('.json');
}
