// The one error a client call throws: the API's machine-readable `code` (or a client-side one when no
// answer came or the answer did not fit its schema), the HTTP status, and the API's issues.

import type { ErrorCode, Issue } from '@tuning-arena/protocol';

/** Client-side failures: no HTTP answer, or an answer that breaks the documented schema. */
export type ClientErrorCode = 'network_error' | 'invalid_response';

/** A failed API call; branch on `code`. */
export class ApiError extends Error {
  /** The API's error code, or a client-side one. */
  readonly code: ErrorCode | ClientErrorCode;
  /** HTTP status (0 when no answer came). */
  readonly status: number;
  /** Schema issues the API (or the response check) reported. */
  readonly issues: Issue[];

  constructor(
    code: ErrorCode | ClientErrorCode,
    message: string,
    options: { status?: number; issues?: Issue[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = options.status ?? 0;
    this.issues = options.issues ?? [];
  }
}

/** Whether a value is an ApiError, optionally with a given code. */
export function isApiError(value: unknown, code?: ApiError['code']): value is ApiError {
  return value instanceof ApiError && (code === undefined || value.code === code);
}
