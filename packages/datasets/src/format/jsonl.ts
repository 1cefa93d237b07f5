// JSON Lines: decoding a file's text into records with their line numbers, and encoding rows back.
// Decoding collects every bad line as a RowIssue instead of throwing; column mapping happens elsewhere.
import type { RowIssue } from '../errors.js';

/** One decoded record and the 1-based line it came from. */
export interface SourceRecord {
  readonly row: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Records parsed from a file plus the issues of lines that could not be parsed. */
export interface ParsedRecords {
  readonly records: readonly SourceRecord[];
  readonly issues: readonly RowIssue[];
  /** Column names seen (CSV: the header; JSONL: the union of keys). */
  readonly columns: readonly string[];
}

/** Parses JSONL text; blank lines are skipped, each other line must be one JSON object. */
export function parseJsonl(text: string): ParsedRecords {
  const records: SourceRecord[] = [];
  const issues: RowIssue[] = [];
  const columns = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const row = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      issues.push({
        row,
        code: 'invalid_json',
        message: `line ${row} is not valid JSON (${(error as Error).message})`,
      });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ row, code: 'not_an_object', message: `line ${row} must be a JSON object` });
      return;
    }
    for (const key of Object.keys(value)) columns.add(key);
    records.push({ row, fields: value as Record<string, unknown> });
  });
  return { records, issues, columns: [...columns] };
}

/** Encodes objects as JSONL: one compact JSON object per line, with a trailing newline. */
export function encodeJsonl(items: readonly object[]): string {
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}
