// The accept policy's self-benchmark: a few training steps of the engine on a random GPT-2 model of the
// offered size class (the real base is only downloaded after an accept, so it cannot be measured before the
// decision), with the threads a job gets, timed. Above BENCHMARK_MAX_PARAMETERS it measures that size and
// scales by the parameter ratio (a step's work grows about linearly with the weights). Caching is
// benchmark-cache.ts's.

import {
  countParameters,
  createKernels,
  createModel,
  createModelConfig,
  createRng,
  type Example,
  type ModelConfig,
  train,
} from '@tuning-arena/engine';

/** The largest model the benchmark builds; larger offers are scaled from this size. */
export const BENCHMARK_MAX_PARAMETERS = 16_000_000;

/** What a benchmark measured. */
export interface ThroughputSample {
  /** Training throughput in input tokens per second, for the offered parameter count. */
  tokensPerSecond: number;
  /** Parameters of the model actually trained. */
  benchmarkParameters: number;
  threads: number;
  method: 'lora' | 'full';
  steps: number;
  measuredAt: string;
}

/** What to measure. */
export interface BenchmarkRequest {
  parameterCount: number;
  threads: number;
  method: 'lora' | 'full';
  /** Tokens per row of the synthetic data. */
  rowTokens: number;
  /** Rows per step (default 8). */
  batchSize?: number;
  /** Wall-clock budget of the timed steps (default 2 000 ms). */
  budgetMs?: number;
}

const WIDTHS = [64, 96, 128, 192, 256, 384, 512, 768, 1024];

/** A GPT-2 config (byte vocabulary) whose parameter count is close to `parameterCount`, GPT-2-like in shape. */
export function benchmarkModelConfig(parameterCount: number): ModelConfig {
  let best: { config: ModelConfig; score: number } | undefined;
  for (const nEmbd of WIDTHS) {
    const perLayer = 12 * nEmbd * nEmbd + 13 * nEmbd;
    const probe = createModelConfig({ nEmbd, nHead: Math.max(2, nEmbd / 32), nLayer: 1, nPositions: 128 });
    const fixed = countParameters(probe) - perLayer;
    const nLayer = Math.min(48, Math.max(1, Math.round((parameterCount - fixed) / perLayer)));
    const config = { ...probe, nLayer };
    // Close in size first, then a width-to-depth ratio like GPT-2's (32 to 64).
    const score =
      Math.abs(Math.log(countParameters(config) / parameterCount)) +
      0.05 * Math.abs(Math.log(nEmbd / nLayer / 48));
    if (!best || score < best.score) best = { config, score };
  }
  return best!.config;
}

/** Random rows of about `rowTokens` byte tokens each (prompt and answer halves). */
function syntheticRows(count: number, rowTokens: number): Example[] {
  const rng = createRng(7);
  const text = (length: number) =>
    Array.from({ length: Math.max(1, length) }, () => String.fromCharCode(97 + rng.int(26))).join('');
  const half = Math.floor((rowTokens - 3) / 2);
  return Array.from({ length: count }, () => ({ prompt: text(half), answer: text(rowTokens - 3 - half) }));
}

/** Trains a random model of the request's size for a few steps and reports its throughput. */
export async function runSelfBenchmark(request: BenchmarkRequest): Promise<ThroughputSample> {
  const config = benchmarkModelConfig(Math.min(request.parameterCount, BENCHMARK_MAX_PARAMETERS));
  const batchSize = request.batchSize ?? 8;
  const budgetMs = request.budgetMs ?? 2000;
  const kernels = createKernels({ threads: request.threads });
  try {
    const model = createModel(config, { seed: 1 });
    const started = Date.now();
    const result = await train(model, syntheticRows(batchSize * 4, Math.min(request.rowTokens, 126)), {
      method: request.method,
      batchSize,
      maxSteps: 12,
      validationFraction: 0,
      deadline: started + budgetMs,
      safetyMarginMs: 0,
      kernels,
    });
    // The engine leaves the first (warm-up) step out of its rate; with one step there is only that one.
    const elapsed = Math.max(1, Date.now() - started);
    const measured =
      result.tokensPerSecond > 0
        ? result.tokensPerSecond
        : (result.steps * batchSize * request.rowTokens * 1000) / elapsed;
    const benchmarkParameters = countParameters(config);
    return {
      tokensPerSecond:
        (measured * benchmarkParameters) / Math.max(benchmarkParameters, request.parameterCount),
      benchmarkParameters,
      threads: request.threads,
      method: request.method,
      steps: result.steps,
      measuredAt: new Date().toISOString(),
    };
  } finally {
    // Worker threads of multi-threaded kernels would otherwise keep the process alive.
    if ('close' in kernels && typeof kernels.close === 'function') kernels.close();
  }
}
