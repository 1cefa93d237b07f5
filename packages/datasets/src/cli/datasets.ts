#!/usr/bin/env node
// `pnpm datasets`: list the bundled datasets, show sample rows, check a user file, prepare a job's train split.
// A thin shell over the package API; it prints, sets the exit code and holds no logic of its own.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  helpText,
  type OptionValues,
  type ProgramCommand,
  type ProgramSpec,
  renderTable,
  runProgram,
  USAGE_EXIT_CODE,
} from '@tuning-arena/node-kit';
import { getDataset, listDatasets } from '../catalog.js';
import type { ColumnMapping } from '../format/column-mapping.js';
import { readUserDataset, type UserDataset } from '../format/load-user-dataset.js';
import { prepareJob } from '../job/prepare-job.js';
import { encodeExamples, writeTrainFile } from '../job/train-file.js';
import { createUserSource } from '../job/user-source.js';
import { createSeededRng } from '../rng.js';

const MAPPING = {
  format: {
    kind: 'choice',
    doc: 'file format (default: from the extension)',
    choices: ['jsonl', 'csv', 'tsv', 'text'],
  },
  instruction: { kind: 'string', doc: 'column with the instruction', placeholder: 'col' },
  'instruction-text': { kind: 'string', doc: 'a fixed instruction for every row', placeholder: 'text' },
  input: { kind: 'string', doc: 'column with the input', placeholder: 'col' },
  output: { kind: 'string', doc: 'column with the output (default output)', placeholder: 'col' },
  text: { kind: 'string', doc: 'column with the text of a corpus', placeholder: 'col' },
} as const;
const json = { kind: 'boolean', doc: 'print JSON' } as const;

const PROGRAM = {
  name: 'pnpm datasets',
  summary: 'Bundled datasets, checks of your own files, and job train splits.',
  commands: {
    list: {
      name: 'pnpm datasets list',
      summary: 'bundled datasets with kind, source package, rows and licence',
      options: { json },
    },
    show: {
      name: 'pnpm datasets show',
      summary: 'print sample rows of a bundled dataset',
      options: {
        rows: { kind: 'integer', doc: 'how many rows (default 5)' },
        seed: { kind: 'string', doc: 'sampling seed' },
      },
      positionals: { usage: '<name>', min: 1, max: 1 },
    },
    check: {
      name: 'pnpm datasets check',
      summary: 'validate your own JSONL/CSV/TSV file as the validator would',
      options: { json, ...MAPPING },
      positionals: { usage: '<file>', min: 1, max: 1 },
    },
    prepare: {
      name: 'pnpm datasets prepare',
      summary: "write a job's train split (train.jsonl) and print its sha256",
      options: {
        seed: { kind: 'string', doc: 'the secret job seed (required)' },
        out: { kind: 'string', doc: 'output directory (required)', placeholder: 'dir' },
        file: { kind: 'string', doc: 'use your own file instead of a bundled dataset', placeholder: 'path' },
        rows: { kind: 'integer', doc: 'rows to sample', min: 10 },
        'with-test': { kind: 'boolean', doc: 'also write test.jsonl' },
        json,
        ...MAPPING,
      },
      positionals: { usage: '[name]', min: 0, max: 1 },
    },
  },
} as const satisfies ProgramSpec;

type AllOptions = typeof PROGRAM.commands.prepare.options & typeof PROGRAM.commands.show.options;
type Values = OptionValues<AllOptions>;

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

async function main(parsed: ProgramCommand<typeof PROGRAM>): Promise<void> {
  const { name: command } = parsed;
  const values = parsed.values as Values;
  const [target] = parsed.positionals;
  if (command === 'list') {
    const listing = listDatasets();
    if (values.json) process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    else {
      const rows = listing.map((d) => [d.name, d.kind, d.source, d.rows ?? 'unlimited', d.license]);
      process.stdout.write(`${renderTable([['name', 'kind', 'source', 'rows', 'license'], ...rows])}\n`);
    }
  } else if (command === 'show') {
    const dataset = getDataset(target ?? '');
    const count = values.rows ?? 5;
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
    if (values.seed === undefined || values.out === undefined) {
      process.stderr.write(`prepare needs --seed and --out\n\n${helpText(PROGRAM.commands.prepare)}`);
      process.exitCode = USAGE_EXIT_CODE;
      return;
    }
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
        ...(values.rows !== undefined && { rows: values.rows }),
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
  }
}

// A command may set the exit code itself (a refused file); only a failure of the run itself overrides it.
const exitCode = await runProgram(PROGRAM, 'datasets', main);
if (exitCode !== 0) process.exitCode = exitCode;
