// Test helpers: central finite differences and random fills (not part of the build).

import { createRng } from './rng.js';

/** Fills `a` with N(0, std) values from a seeded stream. */
export function randomFill(a: Float32Array, seed: number, std = 1): Float32Array {
  const rng = createRng(seed);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal() * std;
  return a;
}

/** Central difference of `loss` with respect to x[i] (x is restored afterwards). */
function centralDiff(x: Float32Array, i: number, loss: () => number, eps = 1e-2): number {
  const old = x[i]!;
  x[i] = old + eps;
  const up = loss();
  x[i] = old - eps;
  const down = loss();
  x[i] = old;
  return (up - down) / (2 * eps);
}

/** Largest |analytic - numeric| over sampled entries, relative to the largest |analytic| of the tensor. */
export function gradCheck(
  x: Float32Array,
  analytic: Float32Array,
  loss: () => number,
  opts: { samples?: number; seed?: number; eps?: number } = {},
): { maxAbsErr: number; scale: number; relErr: number } {
  const rng = createRng(opts.seed ?? 1);
  const n = Math.min(opts.samples ?? 12, x.length);
  let maxAbsErr = 0;
  let scale = 0;
  for (let i = 0; i < analytic.length; i++) scale = Math.max(scale, Math.abs(analytic[i]!));
  for (let s = 0; s < n; s++) {
    const i = n === x.length ? s : rng.int(x.length);
    const num = centralDiff(x, i, loss, opts.eps);
    maxAbsErr = Math.max(maxAbsErr, Math.abs(num - analytic[i]!));
  }
  return { maxAbsErr, scale, relErr: maxAbsErr / Math.max(scale, 1e-12) };
}
