import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countParameters } from '@tuning-arena/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BENCHMARK_FILE, createBenchmarkCache, sizeClassOf } from './benchmark-cache.js';
import { benchmarkModelConfig, runSelfBenchmark, type ThroughputSample } from './self-benchmark.js';

const query = { family: 'gpt2', parameterCount: 840_000, method: 'lora' as const, threads: 1 };

describe('benchmark cache', () => {
  let dir: string;
  let runs: number;
  const fake = async (): Promise<ThroughputSample> => {
    runs += 1;
    return {
      tokensPerSecond: 5000,
      benchmarkParameters: 1,
      threads: 1,
      method: 'lora',
      steps: 3,
      measuredAt: 'now',
    };
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miner-bench-'));
    runs = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('measures a size class once, shares a run in flight and keeps the result across restarts', async () => {
    const cache = createBenchmarkCache(dir, fake, { rowTokens: 64 });
    const [a, b] = await Promise.all([
      cache.throughput(query),
      cache.throughput({ ...query, parameterCount: 850_000 }),
    ]);
    expect(a.tokensPerSecond).toBe(5000);
    expect(b.key).toBe(a.key);
    expect(runs).toBe(1);
    const restarted = createBenchmarkCache(dir, fake, { rowTokens: 64 });
    await restarted.throughput(query);
    expect(runs).toBe(1);
    await restarted.throughput({ ...query, threads: 2 });
    await restarted.throughput({ ...query, parameterCount: 4_000_000 });
    expect(runs).toBe(3);
    const file = JSON.parse(await readFile(join(dir, BENCHMARK_FILE), 'utf8'));
    expect(file.samples).toHaveLength(3);
  });

  it('ignores a corrupt cache file and measures again', async () => {
    await writeFile(
      join(dir, BENCHMARK_FILE),
      '{"samples": [{"key": "gpt2/39/lora/t1", "tokensPerSecond": -1}]',
    );
    await createBenchmarkCache(dir, fake, { rowTokens: 64 }).throughput(query);
    expect(runs).toBe(1);
  });

  it('puts sizes sqrt(2) apart in neighbouring classes', () => {
    expect(sizeClassOf(1_000_000)).toBe(sizeClassOf(1_100_000));
    expect(sizeClassOf(1_000_000) + 1).toBe(sizeClassOf(1_414_214));
  });
});

describe('self-benchmark', () => {
  it('builds a GPT-2 shape within 25 % of the requested size', () => {
    for (const target of [100_000, 840_000, 5_000_000, 19_000_000]) {
      const ratio = countParameters(benchmarkModelConfig(target)) / target;
      expect(ratio, String(target)).toBeGreaterThan(0.75);
      expect(ratio, String(target)).toBeLessThan(1.25);
    }
  });

  it('trains a random model of the size for a few steps and reports its throughput', async () => {
    const sample = await runSelfBenchmark({
      parameterCount: 100_000,
      threads: 1,
      method: 'full',
      rowTokens: 32,
      budgetMs: 500,
    });
    expect(sample.steps).toBeGreaterThan(0);
    expect(sample.tokensPerSecond).toBeGreaterThan(0);
  });

  it('scales a size above the largest it builds by the parameter ratio', async () => {
    const sample = await runSelfBenchmark({
      parameterCount: 1e12,
      threads: 1,
      method: 'lora',
      rowTokens: 16,
      budgetMs: 1,
    });
    expect(sample.benchmarkParameters).toBeLessThan(1e8);
    expect(sample.tokensPerSecond).toBeLessThan(1);
  });
});
