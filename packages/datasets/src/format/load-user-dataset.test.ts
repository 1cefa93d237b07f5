import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUserDataset, readUserDataset } from './load-user-dataset.js';

const codes = (result: ReturnType<typeof decodeUserDataset>) =>
  result.ok ? [] : result.error.issues.map(({ row, field, code }) => ({ row, field, code }));

describe('decodeUserDataset (JSONL)', () => {
  it('loads rows through the default instruction / input / output mapping', () => {
    const text =
      '{"instruction":"Double","input":"2","output":"4"}\n\n{"instruction":"Double","input":"5","output":"10"}\n';
    const result = decodeUserDataset(text, { format: 'jsonl' });
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'instruct',
        duplicatesDropped: 0,
        rows: [
          { instruction: 'Double', input: '2', output: '4' },
          { instruction: 'Double', input: '5', output: '10' },
        ],
      },
    });
  });

  it('maps custom columns, a fixed instruction and numeric fields', () => {
    const text = '{"q":"7 squared","a":49}\n';
    const result = decodeUserDataset(text, {
      format: 'jsonl',
      columns: { kind: 'instruct', input: 'q', output: 'a', instructionText: 'Answer' },
    });
    expect(result.ok && result.value.kind === 'instruct' && result.value.rows).toEqual([
      { instruction: 'Answer', input: '7 squared', output: '49' },
    ]);
  });

  it('reports every bad line with its row, field and code', () => {
    const text = [
      '{"instruction":"x","input":"a","output":"b"}',
      '{not json',
      '[1,2]',
      '{"instruction":"x","input":"c"}',
      '{"instruction":"x","input":"d","output":{"nested":true}}',
      '{"instruction":"x","input":"e","output":"  "}',
      '{"instruction":"x","input":"a","output":"different"}',
    ].join('\n');
    const result = decodeUserDataset(text, { format: 'jsonl' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_rows');
    expect(codes(result)).toEqual([
      { row: 2, field: undefined, code: 'invalid_json' },
      { row: 3, field: undefined, code: 'not_an_object' },
      { row: 4, field: 'output', code: 'missing_field' },
      { row: 5, field: 'output', code: 'not_a_string' },
      { row: 6, field: 'output', code: 'empty_field' },
      { row: 7, field: 'output', code: 'conflicting_duplicate' },
    ]);
  });

  it('reads prompt/answer files as the validator serves them, reporting a bad row by its line', () => {
    const good = '{"prompt":"2 + 2 =","answer":"4"}\n{"prompt":"3 + 3 =","answer":"6"}\n';
    expect(decodeUserDataset(good, { format: 'jsonl' })).toEqual({
      ok: true,
      value: {
        kind: 'instruct',
        duplicatesDropped: 0,
        rows: [
          { instruction: '2 + 2 =', input: '', output: '4' },
          { instruction: '3 + 3 =', input: '', output: '6' },
        ],
      },
    });
    const bad = `${good}{"prompt":"4 + 4 ="}\n{"prompt":"5 + 5 =","answer":7}\n{"prompt":"6 + 6 =","answer":[12]}\n`;
    expect(codes(decodeUserDataset(bad, { format: 'jsonl' }))).toEqual([
      { row: 3, field: 'answer', code: 'missing_field' },
      { row: 5, field: 'answer', code: 'not_a_string' },
    ]);
  });

  it('drops exact duplicate rows and counts them', () => {
    const line = '{"instruction":"x","input":"a","output":"b"}';
    const result = decodeUserDataset(`${line}\n${line}\n`, { format: 'jsonl' });
    expect(result.ok && result.value.kind === 'instruct' && result.value.duplicatesDropped).toBe(1);
  });

  it('refuses an empty file', () => {
    const result = decodeUserDataset('\n\n', { format: 'jsonl' });
    expect(!result.ok && result.error.code).toBe('empty_file');
  });
});

describe('decodeUserDataset (CSV)', () => {
  it('loads quoted fields holding commas, quotes and newlines', () => {
    const text = 'word,meaning\r\ncat,"a small, furry animal"\r\nquote,"he said ""hi""\nthen left"\r\n';
    const result = decodeUserDataset(text, {
      format: 'csv',
      columns: { kind: 'instruct', input: 'word', output: 'meaning', instructionText: 'Define' },
    });
    expect(result.ok && result.value.kind === 'instruct' && result.value.rows).toEqual([
      { instruction: 'Define', input: 'cat', output: 'a small, furry animal' },
      { instruction: 'Define', input: 'quote', output: 'he said "hi"\nthen left' },
    ]);
  });

  it('reports wrong column counts and stray quotes by line', () => {
    const text = 'input,output\na,b\nc\nd,e"x\nf,g\n';
    const result = decodeUserDataset(text, {
      format: 'csv',
      columns: { kind: 'instruct', input: 'input', output: 'output' },
    });
    expect(codes(result)).toEqual([
      { row: 3, field: undefined, code: 'column_count' },
      { row: 4, field: undefined, code: 'invalid_quote' },
    ]);
  });

  it('reports an unterminated quote at the line where the record starts', () => {
    const result = decodeUserDataset('input,output\na,b\nc,"never closed\nmore\n', {
      format: 'csv',
      columns: { kind: 'instruct', input: 'input', output: 'output' },
    });
    expect(codes(result)).toEqual([{ row: 3, field: undefined, code: 'unterminated_quote' }]);
  });

  it('reports a mapped column the header lacks', () => {
    const result = decodeUserDataset('question,answer\na,b\n', {
      format: 'csv',
      columns: { kind: 'instruct', input: 'question', output: 'reply' },
    });
    expect(codes(result)).toEqual([{ row: 0, field: 'reply', code: 'unknown_column' }]);
  });

  it('reads TSV and text corpora', () => {
    const tsv = decodeUserDataset('input\toutput\nx\ty\n', {
      format: 'tsv',
      columns: { kind: 'instruct', input: 'input', output: 'output' },
    });
    expect(tsv.ok && tsv.value.kind === 'instruct' && tsv.value.rows.length).toBe(1);
    const text = decodeUserDataset('First paragraph.\n\nSecond\nparagraph.\n', { format: 'text' });
    expect(text.ok && text.value.kind === 'text' && text.value.documents).toEqual([
      'First paragraph.',
      'Second\nparagraph.',
    ]);
  });
});

describe('readUserDataset', () => {
  it('reads a file, guessing its format from the extension', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arena-user-'));
    const path = join(dir, 'mine.csv');
    await writeFile(path, 'instruction,input,output\nUpper,ab,AB\n');
    const result = await readUserDataset(path);
    expect(result.ok && result.value.kind === 'instruct' && result.value.rows).toEqual([
      { instruction: 'Upper', input: 'ab', output: 'AB' },
    ]);
  });

  it('fails with a code for a missing file or an unknown extension', async () => {
    const missing = await readUserDataset(join(tmpdir(), 'no-such-dir-arena', 'x.jsonl'));
    expect(!missing.ok && missing.error.code).toBe('file_unreadable');
    const unknown = await readUserDataset('data.xlsx');
    expect(!unknown.ok && unknown.error.code).toBe('unsupported_format');
  });
});
