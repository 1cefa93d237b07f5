// Quality of the valid submissions of one job: the combined loss L = wTest * test + (1 - wTest) * synthetic,
// and q = exp(-(L - mean L) / tau), so the geometric mean of q over the valid pool is exactly 1 and a lower
// loss than the pool's average earns more than 1. Pure functions; no I/O.

/** A submission's combined loss. */
export function combinedLoss(test: number, synthetic: number, weightTest: number): number {
  return weightTest * test + (1 - weightTest) * synthetic;
}

/** Largest |log q|: keeps every quality a finite, non-zero double whatever the losses. */
const MAX_LOG_QUALITY = 600;

/**
 * Qualities of a pool of combined losses, in the same order: exp(-(L - mean) / tau). Their geometric mean is
 * 1 (to rounding) unless a log quality had to be clamped to ±MAX_LOG_QUALITY; a pool of one gets 1; an empty
 * pool gives an empty list. Callers cap each loss (at the base model's) so one terrible model cannot inflate
 * everybody else's quality.
 */
export function poolQualities(combined: readonly number[], tau: number): number[] {
  if (!(tau > 0)) throw new RangeError(`tau must be positive, got ${tau}`);
  if (combined.length === 0) return [];
  const mean = combined.reduce((sum, value) => sum + value, 0) / combined.length;
  return combined.map((value) => {
    const log = Math.max(-MAX_LOG_QUALITY, Math.min(MAX_LOG_QUALITY, -(value - mean) / tau));
    return Math.exp(log);
  });
}

/** The geometric mean of positive numbers (1 for none). */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return 1;
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}
