// CSV (RFC 4180) decoding: a header row names the columns; quoted fields may hold commas, quotes, newlines.
// Structural problems (unterminated quotes, wrong column counts) become RowIssues with the record's line.
import type { RowIssue } from '../errors.js';
import type { ParsedRecords, SourceRecord } from './jsonl.js';

interface RawRecord {
  readonly line: number;
  readonly cells: string[];
}

function splitRecords(text: string, delimiter: string, issues: RowIssue[]): RawRecord[] {
  const records: RawRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let afterQuote = false;
  let i = 0;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: start, cells });
    cells = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === '' && !afterQuote) {
      quoted = true;
    } else if (ch === delimiter) {
      endCell();
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      endRecord();
      line++;
      start = line;
    } else if (ch === '"' || afterQuote) {
      issues.push({
        row: line,
        code: 'invalid_quote',
        message: `line ${line}: stray quote or text after a quoted field`,
      });
      // Skip to the end of the line so one bad record yields one issue.
      while (i < text.length && text[i] !== '\n') i++;
      cells = [];
      cell = '';
      afterQuote = false;
      continue;
    } else {
      cell += ch;
    }
    i++;
  }
  if (quoted) {
    issues.push({
      row: start,
      code: 'unterminated_quote',
      message: `line ${start}: a quoted field is never closed`,
    });
  } else if (cell !== '' || cells.length > 0) {
    endRecord();
  }
  return records;
}

/** Parses CSV text whose first record is the header; `delimiter` defaults to a comma (use a tab for TSV). */
export function parseCsv(text: string, delimiter = ','): ParsedRecords {
  const issues: RowIssue[] = [];
  const raw = splitRecords(text.replace(/^\uFEFF/, ''), delimiter, issues);
  const [header, ...body] = raw;
  if (header === undefined) return { records: [], issues, columns: [] };
  const columns = header.cells.map((name) => name.trim());
  const records: SourceRecord[] = [];
  for (const record of body) {
    if (record.cells.length !== columns.length) {
      issues.push({
        row: record.line,
        code: 'column_count',
        message: `line ${record.line} has ${record.cells.length} fields, the header has ${columns.length}`,
      });
      continue;
    }
    const fields: Record<string, string> = {};
    // The record has exactly one cell per column (checked above).
    columns.forEach((name, index) => {
      fields[name] = record.cells[index]!;
    });
    records.push({ row: record.line, fields });
  }
  return { records, issues, columns };
}
