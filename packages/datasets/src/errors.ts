// The datasets package's one error class and the result shape its boundary decoders return.
// Decoders (user files, column mappings, LLM replies) never throw; deliberate failures throw DatasetError.

/** Machine-readable reasons a datasets operation fails on purpose. */
export type DatasetErrorCode =
  | 'unknown_dataset'
  | 'wrong_dataset_kind'
  | 'invalid_option'
  | 'source_unavailable'
  | 'not_enough_rows'
  | 'llm_failed';

/** Thrown for every deliberate datasets failure; callers branch on `code`. */
export class DatasetError extends Error {
  /** Machine-readable failure reason. */
  readonly code: DatasetErrorCode;

  constructor(code: DatasetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatasetError';
    this.code = code;
  }
}

/** One problem found while decoding a file: where (1-based row, field) and a snake_case code. */
export interface RowIssue {
  /** 1-based data row (JSONL: line number; CSV: record number after the header), 0 for the whole file. */
  readonly row: number;
  /** The column or field concerned, when there is one. */
  readonly field?: string;
  /** Machine-readable reason, e.g. `missing_field`. */
  readonly code: string;
  /** Human-readable explanation for an operator. */
  readonly message: string;
}

/** Why a decoder refused its input: a snake_case code plus the issues found. */
export interface DecodeFailure {
  readonly code: string;
  readonly issues: readonly RowIssue[];
}

/** Result of decoding untrusted input at a boundary. */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: DecodeFailure };

/** Builds a failed decode result. */
export function decodeFailure<T>(code: string, issues: readonly RowIssue[]): DecodeResult<T> {
  return { ok: false, error: { code, issues } };
}
