// Result values returned by every boundary decoder: data in, `{ ok, value }` or `{ ok: false, error }` out.
// Decoders never throw; callers branch on `ok` and forward `error.code` to the peer.

import type { ErrorCode } from './error-codes.js';

/** One schema violation: where it is (JSON pointer) and what is wrong. */
export interface Issue {
  path: string;
  message: string;
}

/** A decoding failure with a machine-readable code and the schema issues behind it. */
export interface DecodeError {
  code: ErrorCode;
  message: string;
  issues: Issue[];
}

/** The outcome of decoding untrusted input. */
export type Result<T, E = DecodeError> = { ok: true; value: T } | { ok: false; error: E };

/** A successful result. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** A failed result. */
export function fail(
  code: ErrorCode,
  message: string,
  issues: Issue[] = [],
): { ok: false; error: DecodeError } {
  return { ok: false, error: { code, message, issues } };
}
