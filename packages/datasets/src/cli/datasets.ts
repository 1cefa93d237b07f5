#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// `pnpm datasets`: list the bundled datasets, show sample rows, check a user file, prepare a job's train split.
// A thin shell over the package API; it prints, sets the exit code and holds no logic of its own.
import { parseArgs } from 'node:util';
import { renderTable } from '@tuning-arena/node-kit';
import { getDataset, listDatasets } from '../catalog.js';
import type { ColumnMapping } from '../format/column-mapping.js';
import { readUserDataset, type UserDataset } from '../format/load-user-dataset.js';
import { prepareJob } from '../job/prepare-job.js';
import { encodeExamples, writeTrainFile } from '../job/train-file.js';
import { createUserSource } from '../job/user-source.js';
import { createSeededRng } from '../rng.js';

const USAGE = `usage: pnpm datasets <command>
  list [--json]                       bundled datasets with kind, source package, rows and licence
  show <name> [--rows N]              print N sample rows of a bundled dataset
  check <file> [mapping] [--json]     validate your own JSONL/CSV/TSV file
  prepare <name|--file F> --seed S --out DIR [--rows N] [--with-test] [mapping]
                                      write a job's train split (train.jsonl) and print its sha256
mapping: --format jsonl|csv|tsv|text --instruction COL --instruction-text TEXT --input COL --output COL --text COL`;

const OPTIONS = {
  json: { type: 'boolean' },
  rows: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  file: { type: 'string' },
  format: { type: 'string' },
  instruction: { type: 'string' },
  'instruction-text': { type: 'string' },
  input: { type: 'string' },
  output: { type: 'string' },
  text: { type: 'string' },
  'with-test': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function mappingFrom(values: Values): ColumnMapping | undefined {
  if (values.text !== undefined) return { kind: 'text', text: values.text };
  if (values.output === undefined && values.input === undefined && values.instruction === undefined)
    return undefined;
  return {
    kind: 'instruct',
    output: values.output ?? 'output',
    ...(values.instruction !== undefined && { instruction: values.instruction }),
    ...(values['instruction-text'] !== undefined && { instructionText: values['instruction-text'] }),
    ...(values.input !== undefined && { input: values.input }),
  };
}

async function loadFile(path: string, values: Values): Promise<UserDataset | undefined> {
  const columns = mappingFrom(values);
  const format = values.format as 'jsonl' | 'csv' | 'tsv' | 'text' | undefined;
  const result = await readUserDataset(path, { ...(format && { format }), ...(columns && { columns }) });
  if (result.ok) return result.value;
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stderr.write(`${path}: ${result.error.code}\n`);
    for (const issue of result.error.issues) {
      const where = issue.row > 0 ? `line ${issue.row}` : 'file';
      process.stderr.write(
        `  ${where}${issue.field ? ` [${issue.field}]` : ''}: ${issue.code}: ${issue.message}\n`,
      );
    }
  }
  process.exitCode = 1;
  return undefined;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: OPTIONS, allowPositionals: true });
  const [command, target] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === 'list') {
    const listing = listDatasets();
    if (values.json) process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    else {
      const rows = listing.map((d) => [d.name, d.kind, d.source, d.rows ?? 'unlimited', d.license]);
      process.stdout.write(`${renderTable([['name', 'kind', 'source', 'rows', 'license'], ...rows])}\n`);
    }
  } else if (command === 'show') {
    const dataset = getDataset(target ?? '');
    const count = Number(values.rows ?? 5);
    const rng = createSeededRng(values.seed ?? 'show');
    const rows =
      dataset.kind === 'instruct'
        ? rng.shuffle([...dataset.rows()]).slice(0, count)
        : dataset.kind === 'text'
          ? rng
              .shuffle([...dataset.documents()])
              .slice(0, count)
              .map((text) => ({ text }))
          : Array.from({ length: count }, () => dataset.generate(rng));
    process.stdout.write(`${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
  } else if (command === 'check') {
    const dataset = await loadFile(target ?? '', values);
    if (dataset === undefined) return;
    const summary =
      dataset.kind === 'text'
        ? { ok: true, kind: 'text', documents: dataset.documents.length }
        : {
            ok: true,
            kind: 'instruct',
            rows: dataset.rows.length,
            duplicatesDropped: dataset.duplicatesDropped,
          };
    process.stdout.write(
      values.json ? `${JSON.stringify(summary)}\n` : `${target}: ok, ${JSON.stringify(summary)}\n`,
    );
  } else if (command === 'prepare') {
    if (values.seed === undefined || values.out === undefined)
      throw new Error('prepare needs --seed and --out');
    let source = values.file === undefined ? getDataset(target ?? '') : undefined;
    if (values.file !== undefined) {
      const dataset = await loadFile(values.file, values);
      if (dataset === undefined) return;
      source = createUserSource(target ?? 'user', dataset, values.file);
    }
    const job = prepareJob(
      {
        dataset: source!.name,
        seed: values.seed,
        ...(values.rows !== undefined && { rows: Number(values.rows) }),
      },
      source,
    );
    const file = await writeTrainFile(job, values.out);
    if (values['with-test']) await writeFile(join(values.out, 'test.jsonl'), encodeExamples(job.test));
    const report = {
      ...file,
      test: job.test.length,
      heldOut: job.heldOut.length,
      skippedTooLong: job.skippedTooLong,
    };
    process.stdout.write(`${JSON.stringify(report, null, values.json ? 0 : 2)}\n`);
  } else {
    process.stderr.write(`unknown command ${command}\n${USAGE}\n`);
    process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  process.stderr.write(`datasets: ${code ? `${code}: ` : ''}${(error as Error).message}\n`);
  process.exitCode = 1;
});
