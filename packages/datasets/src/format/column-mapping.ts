// Which columns of a user file hold the instruction, the input and the output (or the text of a corpus).
// Decoded from untrusted config (CLI flags, JSON) into a checked mapping; never throws.
import type { Result } from '@tuning-arena/protocol';
import { type RowIssue, type RowsFailure, rowsFailure } from '../errors.js';

/** Column mapping for an instruction dataset; `instructionText` is a fixed instruction when no column has one. */
export interface InstructColumns {
  readonly kind: 'instruct';
  readonly instruction?: string;
  readonly instructionText?: string;
  readonly input?: string;
  readonly output: string;
}

/** Column mapping for a plain-text corpus: one column of text per record. */
interface TextColumns {
  readonly kind: 'text';
  readonly text: string;
}

/** How a user file's columns map onto rows. */
export type ColumnMapping = InstructColumns | TextColumns;

/** The mapping used when none is given: columns named instruction / input / output. */
export const DEFAULT_COLUMNS: InstructColumns = {
  kind: 'instruct',
  instruction: 'instruction',
  input: 'input',
  output: 'output',
};

const KEYS = ['kind', 'instruction', 'instructionText', 'input', 'output', 'text'];

/** Decodes a mapping such as `{instruction:"q", output:"a"}` or `{kind:"text", text:"body"}`. */
export function decodeColumnMapping(value: unknown): Result<ColumnMapping, RowsFailure> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return rowsFailure('invalid_mapping', [
      { row: 0, code: 'not_an_object', message: 'mapping must be an object' },
    ]);
  }
  const record = value as Record<string, unknown>;
  const issues: RowIssue[] = [];
  for (const [key, field] of Object.entries(record)) {
    if (!KEYS.includes(key))
      issues.push({ row: 0, field: key, code: 'unknown_key', message: `unknown key ${key}` });
    else if (typeof field !== 'string' || field === '')
      issues.push({ row: 0, field: key, code: 'not_a_string', message: `${key} must be a non-empty string` });
  }
  const kind = record.kind ?? (record.text !== undefined ? 'text' : 'instruct');
  if (kind !== 'instruct' && kind !== 'text') {
    issues.push({ row: 0, field: 'kind', code: 'invalid_kind', message: 'kind must be instruct or text' });
  }
  if (kind === 'text' && record.text === undefined) {
    issues.push({
      row: 0,
      field: 'text',
      code: 'missing_key',
      message: 'a text mapping needs a text column',
    });
  }
  if (kind === 'instruct' && record.output === undefined) {
    issues.push({
      row: 0,
      field: 'output',
      code: 'missing_key',
      message: 'an instruct mapping needs an output column',
    });
  }
  if (issues.length > 0) return rowsFailure('invalid_mapping', issues);
  const str = (key: string) => record[key] as string | undefined;
  if (kind === 'text') return { ok: true, value: { kind: 'text', text: str('text')! } };
  const instruction = str('instruction');
  const instructionText = str('instructionText');
  const input = str('input');
  return {
    ok: true,
    value: {
      kind: 'instruct',
      output: str('output')!,
      ...(instruction === undefined ? {} : { instruction }),
      ...(instructionText === undefined ? {} : { instructionText }),
      ...(input === undefined ? {} : { input }),
    },
  };
}
