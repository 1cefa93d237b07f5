// The engine's one error class, and the failure its file decoders return inside the protocol's Result type.
// Decoders (files, headers, configs) never throw; deliberate failures elsewhere throw EngineError.

import type { Result } from '@tuning-arena/protocol';

/** Machine-readable reasons an engine operation fails on purpose. */
export type EngineErrorCode =
  | 'invalid_config'
  | 'invalid_input'
  | 'invalid_file'
  | 'shape_mismatch'
  | 'aborted'
  | 'worker_failed'
  | 'kernels_not_built'
  | 'kernels_threads_unsupported'
  | 'kernels_out_of_memory'
  | 'kernels_unknown_backend';

/** Thrown for every deliberate engine failure; tests and callers branch on `code`. */
export class EngineError extends Error {
  /** Machine-readable failure reason. */
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** Why a file decoder (safetensors, config.json, tokenizer.json, PEFT files) refused its input. */
type FileFailureCode =
  | 'config_not_object'
  | 'duplicate_key'
  | 'duplicate_tensor'
  | 'file_too_large'
  | 'gap_in_data'
  | 'header_not_json'
  | 'header_not_object'
  | 'header_too_deep'
  | 'header_too_large'
  | 'invalid_alpha'
  | 'invalid_config'
  | 'invalid_entry'
  | 'invalid_json'
  | 'invalid_metadata'
  | 'invalid_offsets'
  | 'invalid_rank'
  | 'invalid_shape'
  | 'invalid_special_tokens'
  | 'invalid_target_modules'
  | 'invalid_vocab_size'
  | 'missing_tensor'
  | 'out_of_range'
  | 'overlapping_data'
  | 'shape_mismatch'
  | 'size_mismatch'
  | 'tokenizer_not_object'
  | 'trailing_bytes'
  | 'truncated'
  | 'unexpected_tensor'
  | 'unknown_dtype'
  | 'unsupported_activation'
  | 'unsupported_attention_scaling'
  | 'unsupported_config'
  | 'unsupported_dtype'
  | 'unsupported_layout'
  | 'unsupported_lora_pattern'
  | 'unsupported_lora_variant'
  | 'unsupported_model_type'
  | 'unsupported_option'
  | 'unsupported_peft_type'
  | 'unsupported_target_modules'
  | 'unsupported_tokenizer'
  | 'vocab_mismatch';

/** A refused file: a closed code plus human-readable details; carried in the protocol's Result type. */
interface FileFailure {
  readonly code: FileFailureCode;
  readonly issues: readonly string[];
}

/** The outcome of decoding an untrusted file. */
export type FileResult<T> = Result<T, FileFailure>;

/** Builds a failed file result. */
export function fileFailure<T>(code: FileFailureCode, ...issues: string[]): FileResult<T> {
  return { ok: false, error: { code, issues } };
}

/** Unwraps a decode result or throws EngineError('invalid_file') carrying the failure as cause. */
export function unwrapDecoded<T>(result: FileResult<T>, what: string): T {
  if (result.ok) return result.value;
  throw new EngineError('invalid_file', `${what}: ${result.error.code}: ${result.error.issues.join('; ')}`, {
    cause: result.error,
  });
}
