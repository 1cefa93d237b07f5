// LoRA's low-rank path beside a Conv1D layer: y += s·(x·Aᵀ)·Bᵀ with A [r, in], B [out, r], and its
// backward. The base product and bias are the caller's; this only adds the adapter's share.

import type { Kernels } from '../kernels/types.js';

/** The adapter tensors of one adapted layer. */
export interface LoraWeights {
  readonly A: Float32Array;
  readonly B: Float32Array;
  readonly rank: number;
  readonly scale: number;
}

/** y += scale·(x·Aᵀ)·Bᵀ; keeps u = scale·x·Aᵀ [rows, r] for the backward. */
export function loraLinearForward(
  k: Kernels,
  w: LoraWeights,
  x: Float32Array,
  y: Float32Array,
  u: Float32Array,
  rows: number,
  nIn: number,
  nOut: number,
): void {
  k.matmul(x, w.A, u, rows, w.rank, nIn, { transB: true });
  const n = rows * w.rank;
  for (let i = 0; i < n; i++) u[i]! *= w.scale;
  k.matmul(u, w.B, y, rows, nOut, w.rank, { transB: true, accumulate: true });
}

/** dx += scale·(dy·B)·A (dx null: not needed); dB += dyᵀ·u and dA += (scale·dy·B)ᵀ·x when given (null: adapter frozen). */
export function loraLinearBackward(
  k: Kernels,
  w: LoraWeights,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array | null,
  u: Float32Array,
  du: Float32Array,
  dA: Float32Array | null,
  dB: Float32Array | null,
  rows: number,
  nIn: number,
  nOut: number,
): void {
  if (dB) k.matmul(dy, u, dB, nOut, w.rank, rows, { transA: true, accumulate: true });
  k.matmul(dy, w.B, du, rows, w.rank, nOut);
  const n = rows * w.rank;
  for (let i = 0; i < n; i++) du[i]! *= w.scale;
  if (dA) k.matmul(du, x, dA, w.rank, nIn, rows, { transA: true, accumulate: true });
  if (dx) k.matmul(du, w.A, dx, rows, nIn, w.rank, { accumulate: true });
}
