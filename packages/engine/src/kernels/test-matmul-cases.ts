// Shared helpers of the kernel tests: seeded operands, a naive product and a tolerance check.
// Test-only (excluded from the build by its test- prefix).

import { expect } from 'vitest';
import type { MatmulOptions } from './types.js';

/** Deterministic uniform values in [-1, 1). */
export function seeded(length: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** Naive C = op(A)·op(B) (+ C) in float64, straight from the definition. */
export function naiveMatmul(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  opts: MatmulOptions = {},
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const av = opts.transA ? a[p * m + i]! : a[i * k + p]!;
        const bv = opts.transB ? b[j * k + p]! : b[p * n + j]!;
        sum += av * bv;
      }
      c[i * n + j] = (opts.accumulate ? c[i * n + j]! : 0) + sum;
    }
  }
}

/** Expects `actual` to match `expected` within 1e-5 relative to the largest magnitude. */
export function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst / scale).toBeLessThanOrEqual(1e-5);
}

/** Shapes [m, n, k] covering edge tiles, K blocking (> 256) and M blocking (> 64). */
export const ODD_SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [3, 3, 3],
  [17, 17, 17],
  [129, 129, 129],
  [1, 129, 17],
  [129, 1, 3],
  [3, 17, 129],
  [17, 3, 1],
  [4, 8, 4],
  [5, 9, 300],
  [70, 13, 520],
  [8, 16, 33],
];

/** Every combination of transA, transB and accumulate. */
export const ALL_OPTIONS: readonly MatmulOptions[] = [false, true].flatMap((transA) =>
  [false, true].flatMap((transB) => [false, true].map((accumulate) => ({ transA, transB, accumulate }))),
);
