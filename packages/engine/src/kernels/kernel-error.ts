// The one error class of the kernels: a machine-readable code plus an optional cause.
// Callers branch on `code`, never on the message.

/** Machine-readable codes of kernel failures. */
export type KernelErrorCode =
  | 'kernels_not_built'
  | 'kernels_threads_unsupported'
  | 'kernels_bad_shape'
  | 'kernels_out_of_memory'
  | 'kernels_unknown_backend';

/** A deliberate kernel failure with a machine-readable `code`. */
export class KernelError extends Error {
  override readonly name = 'KernelError';
  /** What went wrong, as a stable snake_case string. */
  readonly code: KernelErrorCode;

  constructor(code: KernelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
