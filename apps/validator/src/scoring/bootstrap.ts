// Paired bootstrap of a submission's loss difference to the job mean, over examples: the same resampled
// examples are used for every submission of a job, so the interval shows whether a gap to the average is
// more than the noise of which rows happened to be in the test and synthetic sets. Pure, and seeded.

/** Per-example losses of one submission on each split (the same examples, in the same order, for all). */
interface PairedLosses {
  test: ArrayLike<number>;
  synthetic: ArrayLike<number>;
}

/** Settings of the bootstrap. */
interface BootstrapOptions {
  weightTest: number;
  /** Resamples (at least 1000 for a stable 95 % interval). */
  resamples: number;
  /** A uniform source in [0, 1), seeded by the caller so re-scoring gives the same intervals. */
  uniform: () => number;
  /** Two-sided coverage (default 0.95). */
  coverage?: number;
}

function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return values.length === 0 ? 0 : sum / values.length;
}

/**
 * For each submission, the [lo, hi] interval of (its combined loss - the pool's mean combined loss) under
 * paired resampling of examples (test and synthetic resampled separately). Empty pool: no intervals.
 */
export function pairedBootstrap(
  pool: readonly PairedLosses[],
  options: BootstrapOptions,
): [number, number][] {
  const n = pool.length;
  if (n === 0) return [];
  const testCount = pool[0]?.test.length ?? 0;
  const synthCount = pool[0]?.synthetic.length ?? 0;
  for (const losses of pool) {
    if (losses.test.length !== testCount || losses.synthetic.length !== synthCount) {
      throw new RangeError('every submission must have losses on the same examples');
    }
  }
  // Per-example difference to the pool mean, per split: d[i][e] = L_i,e - mean_j L_j,e.
  const diffs = (split: 'test' | 'synthetic', count: number) => {
    const out = pool.map(() => new Float64Array(count));
    for (let e = 0; e < count; e++) {
      let mean = 0;
      for (const losses of pool) mean += losses[split][e] as number;
      mean /= n;
      for (let i = 0; i < n; i++)
        (out[i] as Float64Array)[e] = ((pool[i] as PairedLosses)[split][e] as number) - mean;
    }
    return out;
  };
  const dTest = diffs('test', testCount);
  const dSynth = diffs('synthetic', synthCount);
  const samples = pool.map(() => new Float64Array(options.resamples));
  const testIdx = new Int32Array(testCount);
  const synthIdx = new Int32Array(synthCount);
  const w = options.weightTest;
  for (let r = 0; r < options.resamples; r++) {
    for (let e = 0; e < testCount; e++) testIdx[e] = Math.floor(options.uniform() * testCount);
    for (let e = 0; e < synthCount; e++) synthIdx[e] = Math.floor(options.uniform() * synthCount);
    for (let i = 0; i < n; i++) {
      const t = dTest[i] as Float64Array;
      const s = dSynth[i] as Float64Array;
      let sumT = 0;
      for (let e = 0; e < testCount; e++) sumT += t[testIdx[e] as number] as number;
      let sumS = 0;
      for (let e = 0; e < synthCount; e++) sumS += s[synthIdx[e] as number] as number;
      const meanT = testCount === 0 ? 0 : sumT / testCount;
      const meanS = synthCount === 0 ? 0 : sumS / synthCount;
      (samples[i] as Float64Array)[r] = w * meanT + (1 - w) * meanS;
    }
  }
  const coverage = options.coverage ?? 0.95;
  const tail = (1 - coverage) / 2;
  return samples.map((sample) => {
    const sorted = Float64Array.from(sample).sort();
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] as number;
    return [at(tail), at(1 - tail)];
  });
}

/** The point estimate matching pairedBootstrap: each submission's combined loss minus the pool mean. */
export function differenceToMean(pool: readonly PairedLosses[], weightTest: number): number[] {
  const combined = pool.map((l) => weightTest * meanOf(l.test) + (1 - weightTest) * meanOf(l.synthetic));
  const mean = combined.reduce((a, b) => a + b, 0) / Math.max(1, combined.length);
  return combined.map((value) => value - mean);
}
