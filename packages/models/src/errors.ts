// The models package's one error class: deliberate failures of pretraining, the model store and the
// fine-tune check, each with a machine-readable code. These codes never cross the wire.

/** Machine-readable reasons a models operation fails on purpose. */
type ModelErrorCode = 'unknown_model' | 'invalid_model' | 'wrong_dataset_kind';

/** Thrown for every deliberate models failure; callers branch on `code`. */
export class ModelError extends Error {
  /** Machine-readable failure reason. */
  readonly code: ModelErrorCode;

  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelError';
    this.code = code;
  }
}
