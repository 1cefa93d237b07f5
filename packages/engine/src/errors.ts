// The engine's one error class and the result shape its boundary decoders return.
// Decoders (files, headers, configs) never throw; deliberate failures elsewhere throw EngineError.

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

/** Why a decoder refused its input: a snake_case code plus human-readable details. */
export interface DecodeFailure {
  readonly code: string;
  readonly issues: readonly string[];
}

/** Result of decoding untrusted input at a boundary. */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: DecodeFailure };

/** Builds a failed decode result. */
export function decodeFailure<T>(code: string, ...issues: string[]): DecodeResult<T> {
  return { ok: false, error: { code, issues } };
}

/** Unwraps a decode result or throws EngineError('invalid_file') carrying the failure as cause. */
export function unwrapDecoded<T>(result: DecodeResult<T>, what: string): T {
  if (result.ok) return result.value;
  throw new EngineError('invalid_file', `${what}: ${result.error.code}: ${result.error.issues.join('; ')}`, {
    cause: result.error,
  });
}
