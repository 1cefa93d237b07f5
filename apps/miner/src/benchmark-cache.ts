// The self-benchmark's cache in the data directory (`benchmark.json`): one measured throughput per model
// family, size class (steps of sqrt(2) in parameters), method and thread count, measured once and reused
// across restarts. The file is a boundary: a bad or oversized one is ignored (and replaced), never trusted.
// Measuring is self-benchmark.ts's; this decides only when to measure.

import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchmarkRequest, ThroughputSample } from './self-benchmark.js';

/** Name of the cache file inside the data directory. */
export const BENCHMARK_FILE = 'benchmark.json';

const MAX_BYTES = 256 * 1024;

/** The size class of a parameter count: round(2 log2 n), so neighbouring classes differ by sqrt(2). */
export function sizeClassOf(parameterCount: number): number {
  return Math.round(2 * Math.log2(Math.max(1, parameterCount)));
}

/** The representative parameter count of a size class. */
export function classParameters(sizeClass: number): number {
  return Math.round(2 ** (sizeClass / 2));
}

/** What the policy asks for. */
export interface ThroughputQuery {
  family: string;
  parameterCount: number;
  method: 'lora' | 'full';
  threads: number;
}

/** A measured throughput, as cached. */
export interface CachedThroughput extends ThroughputSample {
  key: string;
  family: string;
  sizeClass: number;
}

/** The key of a query in the cache. */
export function throughputKey(query: ThroughputQuery): string {
  return `${query.family}/${sizeClassOf(query.parameterCount)}/${query.method}/t${query.threads}`;
}

function isSample(value: unknown): value is CachedThroughput {
  const v = value as Partial<CachedThroughput> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.key === 'string' &&
    typeof v.tokensPerSecond === 'number' &&
    Number.isFinite(v.tokensPerSecond) &&
    v.tokensPerSecond > 0
  );
}

/** Reads the cache file; anything missing, oversized or malformed reads as empty. */
async function readCache(path: string): Promise<Map<string, CachedThroughput>> {
  try {
    const text = await readFile(path, 'utf8');
    if (text.length > MAX_BYTES) return new Map();
    const samples = (JSON.parse(text) as { samples?: unknown }).samples;
    return new Map((Array.isArray(samples) ? samples.filter(isSample) : []).map((s) => [s.key, s]));
  } catch {
    return new Map();
  }
}

/** Creates the cache over `dataDir`; `measure` runs a benchmark (injectable for tests). */
export function createBenchmarkCache(
  dataDir: string,
  measure: (request: BenchmarkRequest) => Promise<ThroughputSample>,
  options: { rowTokens: number; batchSize?: number | undefined },
) {
  const path = join(dataDir, BENCHMARK_FILE);
  let cache: Promise<Map<string, CachedThroughput>> | undefined;
  const inFlight = new Map<string, Promise<CachedThroughput>>();

  const store = async (sample: CachedThroughput) => {
    const samples = await (cache ??= readCache(path));
    samples.set(sample.key, sample);
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ version: 1, samples: [...samples.values()] }, null, 2)}\n`);
    await rename(tmp, path);
  };

  return {
    /** The throughput for a query: from the cache, else measured once (concurrent asks share one run). */
    async throughput(query: ThroughputQuery): Promise<CachedThroughput> {
      const key = throughputKey(query);
      const known = (await (cache ??= readCache(path))).get(key);
      if (known) return known;
      let running = inFlight.get(key);
      if (!running) {
        const sizeClass = sizeClassOf(query.parameterCount);
        running = measure({
          parameterCount: classParameters(sizeClass),
          threads: query.threads,
          method: query.method,
          rowTokens: options.rowTokens,
          ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        })
          .then(async (sample) => {
            const cached = { ...sample, key, family: query.family, sizeClass };
            await store(cached);
            return cached;
          })
          .finally(() => inFlight.delete(key));
        inFlight.set(key, running);
      }
      return running;
    },
  };
}

/** A benchmark cache as returned by `createBenchmarkCache`. */
export type BenchmarkCache = ReturnType<typeof createBenchmarkCache>;
