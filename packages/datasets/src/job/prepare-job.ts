// Per-job preparation: subsample a dataset with the job's secret seed, transform every row, split off the test
// rows (min(10 %, 1000)) and keep the rest of the dataset held out for the synthetic set. Pure and deterministic.
import { getDataset } from '../catalog.js';
import { DatasetError } from '../errors.js';
import { createSeededRng } from '../rng.js';
import { byteLength, type Example, type InstructRow, rowKey } from '../rows.js';
import type { DatasetSource, InstructSource, ProceduralSource } from '../source.js';
import { createJobTransform, type JobTransform } from './job-transform.js';

/** Default cap on prompt + answer bytes, so an example fits a 128-byte context with room for an end token. */
const DEFAULT_MAX_EXAMPLE_BYTES = 112;

/** Default number of train + test rows per job. */
const DEFAULT_JOB_ROWS = 2000;

/** Fraction of an instruction dataset always held out of a job's sample, for synthetic rows. */
const HELD_OUT_FRACTION = 0.2;

/** What identifies a job's data; persist it and `prepareJob` rebuilds the same splits after a restart. */
interface JobSpec {
  /** Bundled dataset name (or the name of the `source` passed alongside). */
  readonly dataset: string;
  /** Secret seed: choose it randomly per job and never send it to miners. */
  readonly seed: string;
  /** Train + test rows wanted (default 2000; fewer when the dataset is small). */
  readonly rows?: number;
  /** Longest prompt + answer in UTF-8 bytes; longer rows are skipped (default 112). */
  readonly maxExampleBytes?: number;
}

/** A job's prepared data. `train` is the only part that may leave the validator. */
export interface PreparedJob {
  readonly spec: Required<JobSpec>;
  readonly kind: 'instruct' | 'procedural';
  readonly transform: JobTransform;
  readonly train: readonly Example[];
  readonly test: readonly Example[];
  /** Raw keys (instruction + input) of every train and test row. */
  readonly usedKeys: ReadonlySet<string>;
  /** Source rows never sampled into train or test (instruction datasets only). */
  readonly heldOut: readonly InstructRow[];
  /** The procedural generator, for fresh synthetic rows. */
  readonly generator?: ProceduralSource;
  /** Rows skipped because their example exceeded `maxExampleBytes`. */
  readonly skippedTooLong: number;
}

/** Number of test rows for a sample of n: min(10 %, 1000), at least one. */
export function testCount(n: number): number {
  return Math.max(1, Math.min(Math.floor(n * 0.1), 1000));
}

/** True when a prompt/answer pair fits the byte cap. */
export function fits(example: Example, maxBytes: number): boolean {
  return byteLength(example.prompt) + byteLength(example.answer) <= maxBytes;
}

interface Sample {
  readonly rows: InstructRow[];
  readonly examples: Example[];
  readonly heldOut: InstructRow[];
  readonly skipped: number;
}

function sampleInstruct(source: InstructSource, spec: Required<JobSpec>, transform: JobTransform): Sample {
  const all = source.rows();
  const order = createSeededRng(spec.seed)
    .fork('sample')
    .shuffle([...all.keys()]);
  const reserve = Math.ceil(all.length * HELD_OUT_FRACTION);
  const candidates = order.slice(0, all.length - reserve);
  const rows: InstructRow[] = [];
  const examples: Example[] = [];
  const prompts = new Set<string>();
  let skipped = 0;
  let taken = 0;
  // `order` is a permutation of the indices of `all`.
  for (const index of candidates) {
    if (rows.length >= spec.rows) break;
    taken++;
    const row = all[index]!;
    const example = transform.apply(row);
    if (!fits(example, spec.maxExampleBytes)) skipped++;
    else if (!prompts.has(example.prompt)) {
      prompts.add(example.prompt);
      rows.push(row);
      examples.push(example);
    }
  }
  const heldOut = order.slice(taken).map((index) => all[index]!);
  return { rows, examples, heldOut, skipped };
}

function sampleProcedural(
  source: ProceduralSource,
  spec: Required<JobSpec>,
  transform: JobTransform,
): Sample {
  const rng = createSeededRng(spec.seed).fork('generate');
  const rows: InstructRow[] = [];
  const examples: Example[] = [];
  const keys = new Set<string>();
  let skipped = 0;
  for (let attempt = 0; attempt < spec.rows * 20 && rows.length < spec.rows; attempt++) {
    const row = source.generate(rng);
    if (keys.has(rowKey(row))) continue;
    const example = transform.apply(row);
    if (!fits(example, spec.maxExampleBytes)) {
      skipped++;
      continue;
    }
    keys.add(rowKey(row));
    rows.push(row);
    examples.push(example);
  }
  return { rows, examples, heldOut: [], skipped };
}

/** Prepares a job's splits from its spec; pass `source` for a dataset that is not bundled (e.g. a user file). */
export function prepareJob(spec: JobSpec, source: DatasetSource = getDataset(spec.dataset)): PreparedJob {
  if (source.kind === 'text') {
    throw new DatasetError('wrong_dataset_kind', `${source.name} is a text corpus, not a task dataset`);
  }
  const full: Required<JobSpec> = {
    dataset: spec.dataset,
    seed: spec.seed,
    rows: spec.rows ?? DEFAULT_JOB_ROWS,
    maxExampleBytes: spec.maxExampleBytes ?? DEFAULT_MAX_EXAMPLE_BYTES,
  };
  if (!Number.isInteger(full.rows) || full.rows < 10) {
    throw new DatasetError('invalid_option', `rows must be an integer of at least 10, got ${full.rows}`);
  }
  const transform = createJobTransform(full.seed, source.instructionVariants);
  const sample =
    source.kind === 'instruct'
      ? sampleInstruct(source, full, transform)
      : sampleProcedural(source, full, transform);
  if (sample.rows.length < 10) {
    throw new DatasetError(
      'not_enough_rows',
      `${source.name} yields only ${sample.rows.length} rows that fit ${full.maxExampleBytes} bytes`,
    );
  }
  const tests = testCount(sample.rows.length);
  return {
    spec: full,
    kind: source.kind,
    transform,
    test: sample.examples.slice(0, tests),
    train: sample.examples.slice(tests),
    usedKeys: new Set(sample.rows.map(rowKey)),
    heldOut: sample.heldOut,
    ...(source.kind === 'procedural' && { generator: source }),
    skippedTooLong: sample.skipped,
  };
}
