// Loads an operator's own dataset (JSONL or CSV/TSV, or plain text for corpora) through a column mapping.
// Every bad row is reported with its line, field and a machine-readable code; nothing is thrown.

import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Result } from '@tuning-arena/protocol';
import { type RowIssue, type RowsFailure, rowsFailure } from '../errors.js';
import type { InstructRow } from '../rows.js';
import { rowKey } from '../rows.js';
import type { ColumnMapping, InstructColumns } from './column-mapping.js';
import { DEFAULT_COLUMNS } from './column-mapping.js';
import { parseCsv } from './csv.js';
import { type ParsedRecords, parseJsonl, type SourceRecord } from './jsonl.js';

/** File formats the loader understands. */
type UserFileFormat = 'jsonl' | 'csv' | 'tsv' | 'text';

/** A successfully loaded user dataset. */
export type UserDataset =
  | { readonly kind: 'instruct'; readonly rows: readonly InstructRow[]; readonly duplicatesDropped: number }
  | { readonly kind: 'text'; readonly documents: readonly string[] };

/** Options for decoding a user dataset. */
interface UserDatasetOptions {
  readonly format: UserFileFormat;
  readonly columns?: ColumnMapping;
  /** Stop collecting issues after this many (default 100). */
  readonly maxIssues?: number;
}

/** Guesses the format from a file name: .jsonl/.ndjson, .csv, .tsv, .txt. */
function formatFromPath(path: string): UserFileFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv') return 'tsv';
  if (ext === '.txt') return 'text';
  return undefined;
}

function fieldText(record: SourceRecord, column: string, issues: RowIssue[]): string | undefined {
  if (!(column in record.fields)) {
    issues.push({
      row: record.row,
      field: column,
      code: 'missing_field',
      message: `line ${record.row}: no "${column}"`,
    });
    return undefined;
  }
  const value = record.fields[column];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') {
    issues.push({
      row: record.row,
      field: column,
      code: 'not_a_string',
      message: `line ${record.row}: "${column}" must be a string`,
    });
    return undefined;
  }
  return value;
}

function mapInstruct(parsed: ParsedRecords, columns: InstructColumns, issues: RowIssue[]) {
  for (const name of [columns.instruction, columns.input, columns.output]) {
    if (
      name !== undefined &&
      parsed.columns.length > 0 &&
      !parsed.columns.includes(name) &&
      parsed.records.length > 0
    ) {
      issues.push({
        row: 0,
        field: name,
        code: 'unknown_column',
        message: `no column "${name}" in the file`,
      });
    }
  }
  if (issues.some((issue) => issue.code === 'unknown_column')) return { rows: [], duplicatesDropped: 0 };
  const rows: InstructRow[] = [];
  const seen = new Map<string, string>();
  let duplicatesDropped = 0;
  for (const record of parsed.records) {
    const before = issues.length;
    const instruction =
      columns.instruction !== undefined
        ? fieldText(record, columns.instruction, issues)
        : (columns.instructionText ?? '');
    const input = columns.input !== undefined ? fieldText(record, columns.input, issues) : '';
    const output = fieldText(record, columns.output, issues);
    if (issues.length > before || instruction === undefined || input === undefined || output === undefined)
      continue;
    if (output.trim() === '') {
      issues.push({
        row: record.row,
        field: columns.output,
        code: 'empty_field',
        message: `line ${record.row}: empty output`,
      });
      continue;
    }
    if (instruction.trim() === '' && input.trim() === '') {
      const field = columns.input ?? columns.instruction;
      issues.push({
        row: record.row,
        ...(field === undefined ? {} : { field }),
        code: 'empty_field',
        message: `line ${record.row}: no instruction and no input`,
      });
      continue;
    }
    const row = { instruction: instruction.trim(), input: input.trim(), output: output.trim() };
    const previous = seen.get(rowKey(row));
    if (previous === undefined) {
      seen.set(rowKey(row), row.output);
      rows.push(row);
    } else if (previous === row.output) {
      duplicatesDropped++;
    } else {
      issues.push({
        row: record.row,
        field: columns.output,
        code: 'conflicting_duplicate',
        message: `line ${record.row}: same prompt as an earlier row with a different output`,
      });
    }
  }
  return { rows, duplicatesDropped };
}

/** The mapping of a file whose rows are already `{prompt, answer}` (what the validator's train split looks like). */
const PROMPT_ANSWER_COLUMNS: InstructColumns = {
  kind: 'instruct',
  instruction: 'prompt',
  output: 'answer',
};

/** The mapping to use when none is given: instruction/input/output, or prompt/answer when the file has those. */
function defaultColumns(parsed: ParsedRecords): ColumnMapping {
  const has = (name: string) => parsed.columns.includes(name);
  return has('prompt') && has('answer') && !has('output') ? PROMPT_ANSWER_COLUMNS : DEFAULT_COLUMNS;
}

/** Decodes a user dataset from its text; fails with `invalid_rows` listing every bad row (up to maxIssues). */
export function decodeUserDataset(
  text: string,
  options: UserDatasetOptions,
): Result<UserDataset, RowsFailure> {
  const maxIssues = options.maxIssues ?? 100;
  if (options.format === 'text') {
    const documents = text
      .split(/\r?\n\s*\r?\n/)
      .map((paragraph) => paragraph.trim())
      .filter((p) => p !== '');
    if (documents.length === 0)
      return rowsFailure('empty_file', [{ row: 0, code: 'empty_file', message: 'no text found' }]);
    return { ok: true, value: { kind: 'text', documents } };
  }
  const parsed =
    options.format === 'jsonl' ? parseJsonl(text) : parseCsv(text, options.format === 'tsv' ? '\t' : ',');
  const issues: RowIssue[] = [...parsed.issues];
  const columns = options.columns ?? defaultColumns(parsed);
  let value: UserDataset;
  if (columns.kind === 'text') {
    const documents: string[] = [];
    for (const record of parsed.records) {
      const body = fieldText(record, columns.text, issues);
      if (body !== undefined && body.trim() !== '') documents.push(body.trim());
    }
    value = { kind: 'text', documents };
  } else {
    const mapped = mapInstruct(parsed, columns, issues);
    value = { kind: 'instruct', ...mapped };
  }
  if (issues.length > 0) {
    issues.sort((a, b) => a.row - b.row);
    return rowsFailure('invalid_rows', issues.slice(0, maxIssues));
  }
  const count = value.kind === 'text' ? value.documents.length : value.rows.length;
  if (count === 0)
    return rowsFailure('empty_file', [{ row: 0, code: 'empty_file', message: 'the file holds no rows' }]);
  return { ok: true, value };
}

/** Reads and decodes a user dataset file; the format defaults to the one its extension names. */
export async function readUserDataset(
  path: string,
  options: Partial<UserDatasetOptions> = {},
): Promise<Result<UserDataset, RowsFailure>> {
  const format = options.format ?? formatFromPath(path);
  if (format === undefined) {
    return rowsFailure('unsupported_format', [
      {
        row: 0,
        code: 'unsupported_format',
        message: `cannot tell the format of ${path}: use .jsonl, .csv, .tsv or .txt`,
      },
    ]);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return rowsFailure('file_unreadable', [
      { row: 0, code: 'file_unreadable', message: `${path}: ${(error as Error).message}` },
    ]);
  }
  return decodeUserDataset(text, { ...options, format });
}
