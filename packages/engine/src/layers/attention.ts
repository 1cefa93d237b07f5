// Causal multi-head self-attention core (after c_attn, before c_proj), forward and backward.
// Heads are repacked to contiguous [batch·head, T, headDim] blocks so every product is one batched
// kernel call; probabilities P are cached for the backward pass. Products declare their causal triangle
// so the kernels skip the masked half.

import { fusedKernels } from '../kernels/fused-kernels.js';
import type { Kernels } from '../kernels/types.js';

/** Shape of one attention call. */
export interface AttentionShape {
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
  rows: Float32Array,
  width: number,
  col0: number,
  heads: Float32Array,
  s: AttentionShape,
  toRows: boolean,
): void {
  const { batch, seqLen: T, nEmbd: C, nHead: H } = s;
  const hd = C / H;
  // Buffers from the same (WASM) memory: native copyWithin per head row is several times faster than a loop.
  if (rows.buffer === heads.buffer && rows.byteOffset % 4 === 0 && heads.byteOffset % 4 === 0) {
    const all = new Float32Array(rows.buffer, 0, rows.buffer.byteLength >> 2);
    const r0 = rows.byteOffset >> 2;
    const h0 = heads.byteOffset >> 2;
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < T; t++) {
        const ro = r0 + (b * T + t) * width + col0;
        for (let h = 0; h < H; h++) {
          const ho = h0 + ((b * H + h) * T + t) * hd;
          const rh = ro + h * hd;
          if (toRows) all.copyWithin(rh, ho, ho + hd);
          else all.copyWithin(ho, rh, rh + hd);
        }
      }
    }
    return;
  }
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < T; t++) {
      const ro = (b * T + t) * width + col0;
      for (let h = 0; h < H; h++) {
        const ho = ((b * H + h) * T + t) * hd;
        const rh = ro + h * hd;
        if (toRows) for (let d = 0; d < hd; d++) rows[rh + d] = heads[ho + d]!;
        else for (let d = 0; d < hd; d++) heads[ho + d] = rows[rh + d]!;
      }
    }
  }
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
  repack(qkv, 3 * C, 0, cache.q, s, false);
  repack(qkv, 3 * C, C, cache.k, s, false);
  repack(qkv, 3 * C, 2 * C, cache.v, s, false);
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
  repack(out, C, 0, o, s, true);
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
  repack(dout, C, 0, dO, s, false);
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
  repack(dqkv, 3 * C, 0, dq, s, true);
  repack(dqkv, 3 * C, C, dk, s, true);
  repack(dqkv, 3 * C, 2 * C, dv, s, true);
}
