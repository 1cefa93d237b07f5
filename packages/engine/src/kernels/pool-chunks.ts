// Shares ("chunks") of a split job: the wasm export's arguments for chunk `idx` of a matrix product or of a
// row-wise fused pass, and the plan of chunk boundaries. `chunkArgs` and `rowArgs` are self-contained on
// purpose: worker threads run their source text verbatim (hence the literal slot numbers inside them).

/** First of the 18 matmul driver arguments in the control block (int32 slots). */
export const JOB_ARGS = 16;
/** Slot of the split mode: 0 batch items, 1 row bands, 2 column bands. */
export const JOB_MODE = 36;
/** Slot of a row-wise job's argument count. */
export const ROW_NARGS = 39;
/** Slot of the index of the argument that receives the chunk's row count. */
export const ROW_COUNT_ARG = 40;
/** First of the per-argument byte strides per row of a row-wise job. */
export const ROW_STRIDES = 64;
/** First chunk boundary: chunk idx spans [s[BOUNDS + idx], s[BOUNDS + idx + 1]). */
export const BOUNDS = 160;
/** Most chunks one job may have. */
const MAX_CHUNKS = 64;

/**
 * Chunk boundaries over [0, extent) for `threads` threads, guided self-scheduling style: each chunk takes
 * about 1/(2·threads) of what is left, so chunks shrink towards the end and no thread idles long while
 * another finishes a big one. Sizes are multiples of `quantum` and at least `minUnits`.
 */
export function planChunks(extent: number, quantum: number, minUnits: number, threads: number): number[] {
  const bounds = [0];
  let pos = 0;
  while (pos < extent) {
    const guided = Math.ceil((extent - pos) / (2 * threads) / quantum) * quantum;
    const last = bounds.length === MAX_CHUNKS;
    pos = last ? extent : Math.min(extent, pos + Math.max(minUnits, guided));
    bounds.push(pos);
  }
  return bounds;
}

/** Driver arguments for chunk `idx` of the matmul job in control block `s`, packing into `pa`/`pb`. */
export function chunkArgs(s: Int32Array, idx: number, pa: number, pb: number): number[] {
  const [a, b, c, batch, sa, sb, sc, m, n, k, lda, ldb, ldc, flags] = Array.from(s.subarray(16, 30));
  const start = s[160 + idx]!;
  const count = s[161 + idx]! - start;
  const tail = [lda!, ldb!, ldc!, flags!, pa, pb];
  if (s[36] === 0) {
    const [ai, bi, ci] = [a! + start * sa!, b! + start * sb!, c! + start * sc!];
    return [ai, bi, ci, count, sa!, sb!, sc!, m!, n!, k!, ...tail, 0, 0];
  }
  if (s[36] === 1) {
    const ai = a! + ((flags! & 1) !== 0 ? start : start * lda!) * 4;
    return [ai, b!, c! + start * ldc! * 4, batch!, sa!, sb!, sc!, count, n!, k!, ...tail, start, 0];
  }
  const bi = b! + ((flags! & 2) !== 0 ? start * ldb! : start) * 4;
  return [a!, bi, c! + start * 4, batch!, sa!, sb!, sc!, m!, count, k!, ...tail, 0, start];
}

/** Arguments for chunk `idx` of a row-wise job: base values `f` advanced by chunk start × per-row stride. */
export function rowArgs(s: Int32Array, f: Float64Array, idx: number): number[] {
  const n = s[39]!;
  const countArg = s[40]!;
  const start = s[160 + idx]!;
  const count = s[161 + idx]! - start;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i === countArg ? count : f[i]! + start * s[64 + i]!);
  return out;
}
