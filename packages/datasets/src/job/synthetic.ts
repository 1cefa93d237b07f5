// The synthetic set, made after a job's deadline with a fresh secret seed: fresh generator rows for procedural
// jobs; held-out rows in re-worded prompts for the others, optionally topped up by an LLM endpoint.
import { DatasetError } from '../errors.js';
import { createSeededRng, type SeededRng } from '../rng.js';
import { type Example, type InstructRow, rowKey } from '../rows.js';
import type { LlmRowSource } from './llm-rows.js';
import { fits, type PreparedJob } from './prepare-job.js';

/** Options for a synthetic set. */
interface SyntheticOptions {
  /** Fresh secret seed, drawn after the deadline. */
  readonly seed: string;
  /** Examples wanted (default: as many as the test split). */
  readonly count?: number;
  /** Operator-configured LLM endpoint (instruction datasets only). */
  readonly llm?: LlmRowSource;
  /** Share of the set asked from the LLM (default 0.25). */
  readonly llmShare?: number;
}

/** A synthetic set and where its rows came from. */
interface SyntheticSet {
  readonly examples: readonly Example[];
  readonly fromGenerator: number;
  readonly fromHeldOut: number;
  readonly fromLlm: number;
  /** Why the LLM contributed nothing, when it failed (the set is then filled from held-out rows). */
  readonly llmError?: string;
}

interface Collector {
  readonly examples: Example[];
  add(example: Example, key: string): boolean;
}

function createCollector(job: PreparedJob): Collector {
  const prompts = new Set([...job.train, ...job.test].map((example) => example.prompt));
  const keys = new Set(job.usedKeys);
  const examples: Example[] = [];
  return {
    examples,
    add(example, key) {
      if (keys.has(key) || prompts.has(example.prompt) || !fits(example, job.spec.maxExampleBytes))
        return false;
      keys.add(key);
      prompts.add(example.prompt);
      examples.push(example);
      return true;
    },
  };
}

function fromGenerator(job: PreparedJob, rng: SeededRng, count: number, out: Collector): number {
  const generator = job.generator!;
  let added = 0;
  for (let attempt = 0; attempt < count * 50 && added < count; attempt++) {
    const row = generator.generate(rng);
    if (out.add(job.transform.apply(row), rowKey(row))) added++;
  }
  return added;
}

function fromRows(
  job: PreparedJob,
  rows: readonly InstructRow[],
  rng: SeededRng,
  count: number,
  out: Collector,
): number {
  let added = 0;
  for (const row of rows) {
    if (added >= count) break;
    if (out.add(job.transform.reword(row, rng), rowKey(row))) added++;
  }
  return added;
}

async function fromLlm(
  job: PreparedJob,
  options: SyntheticOptions,
  rng: SeededRng,
  count: number,
  out: Collector,
) {
  const shots = rng.shuffle([...job.heldOut]).slice(0, 6);
  const instructions = new Set(job.heldOut.map((row) => row.instruction));
  try {
    const rows = await options.llm!.generateRows({ examples: shots, count });
    const usable = rows.filter((row) => instructions.has(row.instruction));
    return { added: fromRows(job, usable, rng, count, out) };
  } catch (error) {
    if (error instanceof DatasetError) return { added: 0, error: error.message };
    throw error;
  }
}

/** Makes a job's synthetic set; no example repeats a train or test prompt or a train/test source row. */
export async function makeSyntheticSet(job: PreparedJob, options: SyntheticOptions): Promise<SyntheticSet> {
  const count = options.count ?? job.test.length;
  const rng = createSeededRng(options.seed).fork('synthetic');
  const out = createCollector(job);
  if (job.kind === 'procedural') {
    const added = fromGenerator(job, rng, count, out);
    return { examples: out.examples, fromGenerator: added, fromHeldOut: 0, fromLlm: 0 };
  }
  let fromLlmCount = 0;
  let llmError: string | undefined;
  if (options.llm !== undefined) {
    const wanted = Math.round(count * (options.llmShare ?? 0.25));
    const result = await fromLlm(job, options, rng.fork('llm'), wanted, out);
    fromLlmCount = result.added;
    llmError = result.error;
  }
  const heldOut = rng.fork('held-out').shuffle([...job.heldOut]);
  const fromHeldOut = fromRows(job, heldOut, rng.fork('reword'), count - fromLlmCount, out);
  return {
    examples: out.examples,
    fromGenerator: 0,
    fromHeldOut,
    fromLlm: fromLlmCount,
    ...(llmError !== undefined && { llmError }),
  };
}
