// Small robust statistics shared by the integrity rules: median, weighted median, scaled MAD, cosine and
// Pearson correlation of plain number vectors, and the pool-relative cut-off of the duplicate rule. Pure; no I/O.

/** The median (NaN for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The weighted median of `values` (weights > 0); NaN when there is none. */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) return Number.NaN;
  let running = 0;
  for (const i of order) {
    running += weights[i]!;
    if (running >= total / 2) return values[i]!;
  }
  return values[order[order.length - 1]!]!;
}

/** The median absolute deviation, scaled by 1.4826 so it estimates a standard deviation for normal data. */
function scaledMad(values: readonly number[]): number {
  const center = median(values);
  return 1.4826 * median(values.map((value) => Math.abs(value - center)));
}

/** cos(a, b) of two equally long vectors; NaN when they differ in length or either is all zeros. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return Number.NaN;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? Number.NaN : dot / Math.sqrt(na * nb);
}

/** Pearson correlation of two equally long vectors; NaN when too short or either is constant. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 3) return Number.NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= a.length;
  mb /= b.length;
  // Centred in place (no copies): the duplicate rule calls this for every pair of a job's submissions.
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? Number.NaN : dot / Math.sqrt(na * nb);
}

/** A cut-off learnt from a pool: max(floor, median + k·MAD), capped at `ceiling`, with what it came from. */
interface PoolCutoff {
  cutoff: number;
  floor: number;
  ceiling: number;
  /** Pool values it was learnt from (NaN statistics when fewer than `minSamples`). */
  samples: number;
  median: number;
  mad: number;
}

/** max(floor, median + k·MAD) of the finite values, capped at ceiling; just the floor below minSamples. */
export function poolCutoff(
  values: readonly number[],
  settings: { floor: number; ceiling: number; k: number; minSamples: number },
): PoolCutoff {
  const finite = values.filter(Number.isFinite);
  const enough = finite.length >= settings.minSamples;
  const center = enough ? median(finite) : Number.NaN;
  const mad = enough ? scaledMad(finite) : Number.NaN;
  const learnt = enough ? center + settings.k * mad : Number.NEGATIVE_INFINITY;
  return {
    cutoff: Math.min(settings.ceiling, Math.max(settings.floor, learnt)),
    floor: settings.floor,
    ceiling: settings.ceiling,
    samples: finite.length,
    median: center,
    mad,
  };
}

/** Rounds for evidence, so reports show comparable numbers (non-finite values stay as they are). */
export function round(value: number, digits = 4): number {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : value;
}

/** Milliseconds since the epoch of an ISO time, NaN when it does not parse. */
export function timeOf(iso: string): number {
  return Date.parse(iso);
}
