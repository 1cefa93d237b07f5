// The demo's one error class: a machine-readable code plus the cause.

/** Codes of deliberate demo failures. */
type DemoErrorCode = 'timed_out' | 'invalid_participant';

/** A deliberate demo failure. */
export class DemoError extends Error {
  /** Machine-readable reason. */
  readonly code: DemoErrorCode;

  constructor(code: DemoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DemoError';
    this.code = code;
  }
}
