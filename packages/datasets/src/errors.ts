// The datasets package's one error class, and the failure its boundary decoders return inside the protocol's
// Result type.
// Decoders (user files, column mappings, LLM replies) never throw; deliberate failures throw DatasetError.

import type { Result } from '@tuning-arena/protocol';

/** Machine-readable reasons a datasets operation fails on purpose. */
type DatasetErrorCode =
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

/** Why one row (or the whole file, row 0) was refused. */
type RowIssueCode =
  | 'column_count'
  | 'conflicting_duplicate'
  | 'empty_field'
  | 'empty_file'
  | 'file_unreadable'
  | 'invalid_json'
  | 'invalid_kind'
  | 'invalid_quote'
  | 'missing_field'
  | 'missing_key'
  | 'no_rows'
  | 'not_a_string'
  | 'not_an_object'
  | 'unknown_column'
  | 'unknown_key'
  | 'unsupported_format'
  | 'unterminated_quote';

/** One problem found while decoding a file: where (1-based row, field) and a snake_case code. */
export interface RowIssue {
  /** 1-based data row (JSONL: line number; CSV: record number after the header), 0 for the whole file. */
  readonly row: number;
  /** The column or field concerned, when there is one. */
  readonly field?: string;
  /** Machine-readable reason. */
  readonly code: RowIssueCode;
  /** Human-readable explanation for an operator. */
  readonly message: string;
}

/** Why a rows decoder (user file, column mapping, LLM reply) refused its input. */
type RowsFailureCode =
  | 'empty_file'
  | 'invalid_rows'
  | 'unsupported_format'
  | 'file_unreadable'
  | 'invalid_mapping'
  | 'no_rows';

/** A refused rows input: a code plus the issues found. */
export interface RowsFailure {
  readonly code: RowsFailureCode;
  readonly issues: readonly RowIssue[];
}

/** Builds a failed rows result (the protocol's Result with a RowsFailure). */
export function rowsFailure<T>(code: RowsFailureCode, issues: readonly RowIssue[]): Result<T, RowsFailure> {
  return { ok: false, error: { code, issues } };
}
