// The JobDataPreparer over @tuning-arena/datasets: a bundled dataset by name, or an operator's own file
// `<datasetDir>/<name>.jsonl|.csv|.tsv` (columns instruction/input/output, or prompt/answer). Each job gets a
// fresh secret seed; the datasets package subsamples, applies the secret per-job transform and splits off the
// test rows. Only `train.jsonl` is served; `test.jsonl` and `prepare.json` (seed and spec, so the synthetic set
// can be rebuilt after the deadline) stay in the job's directory. The work (reading, transforms, splits,
// writing and hashing) runs in a worker thread of the prepare pool, so job creation does not stall the event
// loop; from unbuilt sources (vitest without a build) it runs in-process instead.

import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createUserSource,
  DatasetError,
  type DatasetSource,
  encodeExamples,
  getDataset,
  prepareJob,
  readUserDataset,
  writeTrainFile,
} from '@tuning-arena/datasets';
import { isSafeFileName } from '@tuning-arena/protocol';
import { ValidatorError } from '../errors.js';
import type { JobDataPreparer, PreparedJobData, PrepareRequest } from './job-data-preparer.js';
import {
  type PrepareDirs,
  type PreparePool,
  preparerWorkerEntry,
  sharedPreparePool,
} from './prepare-pool.js';

/** Options of the datasets-backed preparer. */
export interface DatasetsPreparerOptions extends PrepareDirs {
  /** Where preparation runs: a pool, in-process, or (default) the process's shared worker pool. */
  runIn?: PreparePool | 'in-process';
}

/** How the engine joins a prompt and its answer: the tokenizer's separator token, not a text character. */
const ENGINE_SEPARATOR = '<|sep|>';

const USER_EXTENSIONS = ['jsonl', 'csv', 'tsv'] as const;

function datasetError(dataset: string, message: string, cause?: unknown): ValidatorError {
  return new ValidatorError('unknown_dataset', `dataset ${dataset}: ${message}`, { status: 400, cause });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function userSource(dataset: string, datasetDir: string): Promise<DatasetSource | undefined> {
  for (const ext of USER_EXTENSIONS) {
    const path = join(datasetDir, `${dataset}.${ext}`);
    if (!(await exists(path))) continue;
    let decoded = await readUserDataset(path);
    if (!decoded.ok) {
      decoded = await readUserDataset(path, {
        columns: { kind: 'instruct', instruction: 'prompt', output: 'answer' },
      });
    }
    if (!decoded.ok) {
      const first = decoded.error.issues[0];
      throw datasetError(
        dataset,
        `${path}: ${first ? `row ${first.row}: ${first.message}` : decoded.error.code}`,
      );
    }
    return createUserSource(dataset, decoded.value, path);
  }
  return undefined;
}

/** A dataset by name: bundled, or an operator file `<name>.jsonl|.csv|.tsv` in `datasetDir`. */
export async function resolveSource(dataset: string, datasetDir: string): Promise<DatasetSource> {
  try {
    return getDataset(dataset);
  } catch (error) {
    if (!(error instanceof DatasetError) || error.code !== 'unknown_dataset') throw error;
  }
  const source = await userSource(dataset, datasetDir);
  if (!source) throw datasetError(dataset, 'neither a bundled dataset nor a file in the dataset directory');
  return source;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

/** Prepares one job's data in this thread (the worker's body); rejects with `unknown_dataset`. */
export async function prepareJobData(
  options: PrepareDirs,
  { jobId, dataset, maxRows }: PrepareRequest,
): Promise<PreparedJobData> {
  if (!isSafeFileName(dataset)) throw datasetError(dataset, 'not a valid dataset name');
  const source = await resolveSource(dataset, options.datasetDir);
  const seed = randomBytes(32).toString('hex');
  let prepared: ReturnType<typeof prepareJob>;
  try {
    prepared = prepareJob({ dataset, seed, ...(maxRows !== undefined && { rows: maxRows }) }, source);
  } catch (error) {
    if (error instanceof DatasetError) throw datasetError(dataset, error.message, error);
    throw error;
  }
  const dir = join(options.jobsDir, jobId);
  await mkdir(dir, { recursive: true });
  await writeAtomic(join(dir, 'test.jsonl'), encodeExamples(prepared.test));
  await writeAtomic(
    join(dir, 'prepare.json'),
    JSON.stringify({
      ...prepared.spec,
      kind: prepared.kind,
      source: source.source,
      testRows: prepared.test.length,
    }),
  );
  const train = await writeTrainFile(prepared, dir);
  return {
    trainPath: train.path,
    trainSha256: train.sha256,
    trainBytes: train.bytes,
    rows: train.rows,
    taskKind: prepared.kind,
    promptFormat: { promptField: 'prompt', answerField: 'answer', separator: ENGINE_SEPARATOR },
  };
}

/** Creates the preparer that runs every job's data through the datasets package. */
export function createDatasetsPreparer(options: DatasetsPreparerOptions): JobDataPreparer {
  const dirs: PrepareDirs = { datasetDir: options.datasetDir, jobsDir: options.jobsDir };
  const entry = options.runIn === undefined ? preparerWorkerEntry() : undefined;
  const pool = typeof options.runIn === 'object' ? options.runIn : entry && sharedPreparePool(entry);
  return {
    prepare: (request) => (pool ? pool.run(dirs, request) : prepareJobData(dirs, request)),
    check: async (dataset) => {
      if (!isSafeFileName(dataset)) throw datasetError(dataset, 'not a valid dataset name');
      await resolveSource(dataset, dirs.datasetDir);
    },
    discard: async (jobId) => {
      if (isSafeFileName(jobId)) await rm(join(dirs.jobsDir, jobId), { recursive: true, force: true });
    },
  };
}
