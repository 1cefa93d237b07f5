// Causal multi-head self-attention core (after c_attn, before c_proj), forward and backward.
// Heads are repacked to contiguous [batch·head, T, headDim] blocks so every product is one batched
// kernel call; probabilities P are cached for the backward pass. Products declare their causal triangle
// so the kernels skip the masked half.

import { fusedKernels } from '../kernels/fused-kernels.js';
import type { Kernels } from '../kernels/types.js';

/** Shape of one attention call. */
interface AttentionShape {
  readonly batch: number;
  readonly seqLen: number;
  readonly nEmbd: number;
  readonly nHead: number;
}

/** Per-layer activations kept for the backward pass (head-major q, k, v, probabilities p). */
export interface AttentionCache {
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly p: Float32Array;
}

/** Scratch buffers for the backward pass (shared by all layers). */
export interface AttentionScratch {
  /** [B·H, T, hd] each. */
  readonly dO: Float32Array;
  readonly dq: Float32Array;
  readonly dk: Float32Array;
  readonly dv: Float32Array;
  /** [B·H, T, T]. */
  readonly dp: Float32Array;
  /** [B·H, T, hd]: head-major output of the forward pass. */
  readonly o: Float32Array;
}

/** Copies columns [col0, col0+C) of rows [B·T, width] into head-major [B, H, T, hd]; or back when `toRows`. */
function repack(
  kern: Kernels,
  rows: Float32Array,
  width: number,
  col0: number,
  heads: Float32Array,
  s: AttentionShape,
  toRows: boolean,
): void {
  const { batch, seqLen: T, nEmbd: C, nHead: H } = s;
  const hd = C / H;
  const rowView = rows.subarray(col0);
  const rowStrides = [T * width, hd, width] as const;
  const headStrides = [H * T * hd, T * hd, hd] as const;
  const copy = fusedKernels(kern).copyStrided;
  if (toRows) copy(heads, rowView, [batch, H, T], headStrides, rowStrides, hd);
  else copy(rowView, heads, [batch, H, T], rowStrides, headStrides, hd);
}

/** out[B·T, C] = softmax(mask(q·kᵀ/√hd))·v, reading q|k|v from qkv[B·T, 3C]. */
export function attentionForward(
  kern: Kernels,
  qkv: Float32Array,
  out: Float32Array,
  cache: AttentionCache,
  o: Float32Array,
  s: AttentionShape,
): void {
  const { batch, seqLen: T, nEmbd: C, nHead: H } = s;
  const hd = C / H;
  const bh = batch * H;
  repack(kern, qkv, 3 * C, 0, cache.q, s, false);
  repack(kern, qkv, 3 * C, C, cache.k, s, false);
  repack(kern, qkv, 3 * C, 2 * C, cache.v, s, false);
  const p = cache.p;
  const headStride = T * hd;
  kern.matmulBatched(
    cache.q,
    cache.k,
    p,
    bh,
    T,
    T,
    hd,
    { a: headStride, b: headStride, c: T * T },
    { transB: true, triangle: 'lower-c' },
  );
  fusedKernels(kern).softmaxRows(p, bh * T, T, { scale: 1 / Math.sqrt(hd), causal: true });
  kern.matmulBatched(
    p,
    cache.v,
    o,
    bh,
    T,
    hd,
    T,
    { a: T * T, b: headStride, c: headStride },
    { triangle: 'lower-a' },
  );
  repack(kern, out, C, 0, o, s, true);
}

/** dqkv[B·T, 3C] (overwritten) from dout[B·T, C], using the cached q, k, v, p. */
export function attentionBackward(
  kern: Kernels,
  dout: Float32Array,
  dqkv: Float32Array,
  cache: AttentionCache,
  scratch: AttentionScratch,
  s: AttentionShape,
): void {
  const { batch, seqLen: T, nEmbd: C, nHead: H } = s;
  const hd = C / H;
  const bh = batch * H;
  const hs = T * hd;
  const { dO, dq, dk, dv, dp } = scratch;
  const p = cache.p;
  repack(kern, dout, C, 0, dO, s, false);
  kern.matmulBatched(
    dO,
    cache.v,
    dp,
    bh,
    T,
    T,
    hd,
    { a: hs, b: hs, c: T * T },
    { transB: true, triangle: 'lower-c' },
  );
  kern.matmulBatched(
    p,
    dO,
    dv,
    bh,
    T,
    hd,
    T,
    { a: T * T, b: hs, c: hs },
    { transA: true, triangle: 'upper-a' },
  );
  fusedKernels(kern).softmaxRowsBackward(p, dp, bh * T, T, { scale: 1 / Math.sqrt(hd), causal: true });
  kern.matmulBatched(dp, cache.k, dq, bh, T, hd, T, { a: T * T, b: hs, c: hs }, { triangle: 'lower-a' });
  kern.matmulBatched(
    dp,
    cache.q,
    dk,
    bh,
    T,
    hd,
    T,
    { a: T * T, b: hs, c: hs },
    { transA: true, triangle: 'upper-a' },
  );
  repack(kern, dqkv, 3 * C, 0, dq, s, true);
  repack(kern, dqkv, 3 * C, C, dk, s, true);
  repack(kern, dqkv, 3 * C, 2 * C, dv, s, true);
}
