// A job's three evaluation sets: the hidden test split (test.jsonl in the job's directory), the synthetic set
// made when the job closes with a fresh secret seed (the caller draws and stores the seed), and a seeded
// sample of the job's own train rows as large as the test split. The job's splits are rebuilt from
// prepare.json (spec and secret seed) and checked against the stored files. It does not draw seeds or store.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSeededRng,
  type DatasetSource,
  type Example,
  getDataset,
  type LlmRowSource,
  makeSyntheticSet,
  type PreparedJob,
  parseJsonl,
  prepareJob,
} from '@tuning-arena/datasets';
import { ValidatorError } from '../errors.js';

/** The three sets every model of a job is evaluated on, in a fixed order. */
export interface JobSets {
  test: Example[];
  synthetic: Example[];
  trainSample: Example[];
}

/** What makes a job's sets. */
interface JobSetsInput {
  /** The job's directory (train.jsonl, test.jsonl, prepare.json, as the datasets preparer writes them). */
  jobDir: string;
  /** Fresh secret seed drawn when the job closes; it also seeds the train sample. */
  syntheticSeed: string;
  /** The dataset source when it is not a bundled dataset (an operator's file). */
  source?: DatasetSource;
  /** Operator-configured LLM rows for the synthetic set. */
  llm?: LlmRowSource;
}

const broken = (jobDir: string, message: string, cause?: unknown) =>
  new ValidatorError('internal_error', `job data in ${jobDir}: ${message}`, { status: 500, cause });

async function readExamples(path: string, jobDir: string): Promise<Example[]> {
  const parsed = parseJsonl(await readFile(path, 'utf8'));
  const examples = parsed.records.map(({ fields }) => ({ prompt: fields.prompt, answer: fields.answer }));
  if (
    parsed.issues.length > 0 ||
    examples.some((e) => typeof e.prompt !== 'string' || typeof e.answer !== 'string')
  ) {
    throw broken(jobDir, `${path} is not prompt/answer JSONL`);
  }
  return examples as Example[];
}

const sameExamples = (a: readonly Example[], b: readonly Example[]) =>
  a.length === b.length && a.every((e, i) => e.prompt === b[i]?.prompt && e.answer === b[i]?.answer);

/** Rebuilds a job's prepared splits from its prepare.json; throws `internal_error` when they changed. */
async function rebuildPreparedJob(jobDir: string, source?: DatasetSource): Promise<PreparedJob> {
  let spec: { dataset: string; seed: string; rows: number; maxExampleBytes: number };
  try {
    spec = JSON.parse(await readFile(join(jobDir, 'prepare.json'), 'utf8'));
  } catch (error) {
    throw broken(jobDir, 'prepare.json is missing or not JSON', error);
  }
  const { dataset, seed, rows, maxExampleBytes } = spec;
  const prepared = prepareJob({ dataset, seed, rows, maxExampleBytes }, source ?? getDataset(dataset));
  const test = await readExamples(join(jobDir, 'test.jsonl'), jobDir);
  if (!sameExamples(prepared.test, test))
    throw broken(jobDir, 'the rebuilt test split differs from test.jsonl');
  return prepared;
}

/** `count` train rows, chosen by a seeded shuffle (all of them when there are fewer). */
export function sampleTrainRows(train: readonly Example[], count: number, seed: string): Example[] {
  const order = createSeededRng(seed)
    .fork('train-sample')
    .shuffle([...train.keys()]);
  return order.slice(0, count).map((index) => train[index]!);
}

/** The three sets of a prepared job. */
async function makeJobSets(
  prepared: PreparedJob,
  options: { syntheticSeed: string; llm?: LlmRowSource },
): Promise<JobSets> {
  const synthetic = await makeSyntheticSet(prepared, {
    seed: options.syntheticSeed,
    ...(options.llm !== undefined && { llm: options.llm }),
  });
  const test = prepared.test.map(({ prompt, answer }) => ({ prompt, answer }));
  return {
    test,
    synthetic: synthetic.examples.map(({ prompt, answer }) => ({ prompt, answer })),
    trainSample: sampleTrainRows(prepared.train, test.length, options.syntheticSeed),
  };
}

/** Reads a job's directory and makes its three sets. */
export async function loadJobSets(input: JobSetsInput): Promise<JobSets> {
  const prepared = await rebuildPreparedJob(input.jobDir, input.source);
  return makeJobSets(prepared, {
    syntheticSeed: input.syntheticSeed,
    ...(input.llm !== undefined && { llm: input.llm }),
  });
}
