// The miner's one error class for deliberate failures: a machine-readable `code` plus the `cause`.
// Codes from the validator's error frames and HTTP bodies are carried through unchanged (the protocol's
// closed ErrorCode union), so every code a caller can see is listed.

import type { ErrorCode } from '@tuning-arena/protocol';

/** Machine-readable codes of the miner's own failures. */
type MinerErrorCode =
  | 'invalid_config'
  | 'invalid_arguments'
  | 'key_missing'
  | 'key_exists'
  | 'download_failed'
  | 'hash_mismatch'
  | 'invalid_bundle'
  | 'trainer_failed'
  | 'trainer_output_invalid'
  | 'disconnected'
  | 'submit_refused'
  | 'upload_failed'
  | 'aborted'
  | 'fatal_refusal';

/** A deliberate failure of the miner, with a machine-readable code and the underlying cause. */
export class MinerError extends Error {
  /** Machine-readable code; a validator's error code where the failure came from the validator. */
  readonly code: MinerErrorCode | ErrorCode;
  /** The underlying error or refusal, if any. */
  override readonly cause: unknown;

  constructor(code: MinerErrorCode | ErrorCode, message: string, cause?: unknown) {
    super(message);
    this.name = 'MinerError';
    this.code = code;
    this.cause = cause;
  }
}

/** Whether a value is a MinerError with the given code. */
export function isMinerError(value: unknown, code?: MinerErrorCode | ErrorCode): value is MinerError {
  return value instanceof MinerError && (code === undefined || value.code === code);
}
