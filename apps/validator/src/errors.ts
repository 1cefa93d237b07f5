// The validator's one error class for deliberate failures: a protocol error code, an HTTP status and a
// cause. HTTP handlers map it once in `app.onError`; the gateway turns it into an error frame.

import type { ErrorCode, Issue } from '@tuning-arena/protocol';

/** Options of a ValidatorError: HTTP status (default 400), schema issues and the underlying cause. */
interface ValidatorErrorOptions {
  status?: number;
  issues?: Issue[];
  cause?: unknown;
}

/** A deliberate failure with a machine-readable code; tests assert on `code`, never on the message. */
export class ValidatorError extends Error {
  /** Machine-readable code sent to the client. */
  readonly code: ErrorCode;
  /** HTTP status when the failure surfaces over HTTP. */
  readonly status: number;
  /** Schema issues behind an `invalid_body`-style failure. */
  readonly issues: Issue[];

  constructor(code: ErrorCode, message: string, options: ValidatorErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'ValidatorError';
    this.code = code;
    this.status = options.status ?? 400;
    this.issues = options.issues ?? [];
  }
}

/** Whether a value is a ValidatorError. */
export function isValidatorError(value: unknown): value is ValidatorError {
  return value instanceof ValidatorError;
}
