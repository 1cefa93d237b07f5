// Conv1D-style linear layers (weights stored [in, out], as GPT-2) on top of the matmul kernels.
// Bias and residual adds are fused into one pass after the product.

import { fusedKernels } from '../kernels/fused-kernels.js';
import type { Kernels } from '../kernels/types.js';

/** y[r,j] += bias[j] + residual[r,j] (either may be null). */
export function addBiasResidual(
  y: Float32Array,
  bias: Float32Array | null,
  residual: Float32Array | null,
  rows: number,
  cols: number,
): void {
  if (!bias && !residual) return;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (bias && residual) for (let j = 0; j < cols; j++) y[o + j]! += bias[j]! + residual[o + j]!;
    else if (bias) for (let j = 0; j < cols; j++) y[o + j]! += bias[j]!;
    else if (residual) for (let j = 0; j < cols; j++) y[o + j]! += residual[o + j]!;
  }
}

/** Backward of y = x·W + b: dx = dy·Wᵀ (overwritten), dW += xᵀ·dy, db += Σ_rows dy (null = frozen). */
export function linearBackward(
  k: Kernels,
  x: Float32Array,
  w: Float32Array,
  dy: Float32Array,
  dx: Float32Array | null,
  dw: Float32Array | null,
  db: Float32Array | null,
  rows: number,
  nIn: number,
  nOut: number,
): void {
  if (dx) k.matmul(dy, w, dx, rows, nIn, nOut, { transB: true });
  if (dw) k.matmul(x, dy, dw, nIn, nOut, rows, { transA: true, accumulate: true });
  if (db) fusedKernels(k).sumRows(dy, rows, nOut, db);
}
