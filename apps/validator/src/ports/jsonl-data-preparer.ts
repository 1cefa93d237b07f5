// A JobDataPreparer over plain JSONL files (`<datasetDir>/<dataset>.jsonl`, one `{prompt, answer}` a line):
// shuffles with a secret per-job seed, splits off min(10 %, 1000) test rows and writes
// `<jobsDir>/<jobId>/train.jsonl` (served) and `test.jsonl` (never served). No per-job transform yet.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSafeFileName } from '@tuning-arena/protocol';
import { ValidatorError } from '../errors.js';
import type { JobDataPreparer, PreparedJobData } from './job-data-preparer.js';
import { seededShuffle } from './seeded-shuffle.js';

/** Options of the JSONL preparer: where datasets are read and per-job files are written. */
export interface JsonlDataPreparerOptions {
  datasetDir: string;
  jobsDir: string;
}

/** One prompt/answer row. */
export interface PromptAnswerRow {
  prompt: string;
  answer: string;
}

/** Most test rows a job keeps back. */
export const MAX_TEST_ROWS = 1000;

/** How many of `n` rows go to the test split: 10 % (at least one), at most 1000. */
export function testRowCount(n: number): number {
  return Math.min(MAX_TEST_ROWS, Math.max(1, Math.floor(n / 10)));
}

function datasetError(dataset: string, message: string, cause?: unknown): ValidatorError {
  return new ValidatorError('unknown_dataset', `dataset ${dataset}: ${message}`, { status: 400, cause });
}

async function readRows(dataset: string, path: string): Promise<PromptAnswerRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw datasetError(dataset, 'not found', cause);
  }
  const rows: PromptAnswerRow[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (cause) {
      throw datasetError(dataset, `line ${index + 1} is not valid JSON`, cause);
    }
    const { prompt, answer } = (row ?? {}) as Record<string, unknown>;
    if (typeof prompt !== 'string' || typeof answer !== 'string') {
      throw datasetError(dataset, `line ${index + 1} is not a {prompt, answer} row`);
    }
    rows.push({ prompt, answer });
  }
  return rows;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

const toJsonl = (rows: PromptAnswerRow[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join('');

/** Creates the JSONL-backed preparer. */
export function createJsonlDataPreparer(options: JsonlDataPreparerOptions): JobDataPreparer {
  return {
    prepare: async ({ jobId, dataset, maxRows }): Promise<PreparedJobData> => {
      if (!isSafeFileName(dataset)) throw datasetError(dataset, 'not a valid dataset name');
      const all = await readRows(dataset, join(options.datasetDir, `${dataset}.jsonl`));
      const seed = randomBytes(32).toString('hex');
      const rows = seededShuffle(all, seed).slice(0, maxRows ?? all.length);
      if (rows.length < 2) throw datasetError(dataset, 'needs at least two rows');
      const testCount = testRowCount(rows.length);
      const test = rows.slice(0, testCount);
      const train = rows.slice(testCount);
      const dir = join(options.jobsDir, jobId);
      await mkdir(dir, { recursive: true });
      const trainText = toJsonl(train);
      const trainPath = join(dir, 'train.jsonl');
      await writeAtomic(join(dir, 'test.jsonl'), toJsonl(test));
      await writeAtomic(
        join(dir, 'prepare.json'),
        JSON.stringify({ dataset, seed, rows: rows.length, testCount }),
      );
      await writeAtomic(trainPath, trainText);
      return {
        trainPath,
        trainSha256: createHash('sha256').update(trainText).digest('hex'),
        trainBytes: Buffer.byteLength(trainText),
        rows: train.length,
        taskKind: 'instruct',
        promptFormat: { promptField: 'prompt', answerField: 'answer', separator: '\n' },
      };
    },
  };
}
