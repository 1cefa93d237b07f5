// One share ("chunk") of a split job: the wasm export's arguments for chunk `idx` (a matrix product, or a
// row-wise fused pass). Self-contained functions on purpose: worker threads run their source text verbatim.

/**
 * Job slots of the control block (int32 indices) that `chunkArgs` reads: 18 driver arguments from
 * JOB_ARGS, then mode (0 batch items, 1 row bands, 2 column bands) and chunk size.
 */
export const JOB_ARGS = 16;
/** Slot of the split mode. */
export const JOB_MODE = 36;
/** Slot of the chunk size (batch items, rows or columns). */
export const JOB_CHUNK = 37;

/** Driver arguments for chunk `idx` of the job in control block `s`, packing into scratch `pa`/`pb`. */
export function chunkArgs(s: Int32Array, idx: number, pa: number, pb: number): number[] {
  // Literal slot numbers: this function is also run from its source text, without the constants above.
  const a = s[16]!;
  const b = s[17]!;
  const c = s[18]!;
  const batch = s[19]!;
  const sa = s[20]!;
  const sb = s[21]!;
  const sc = s[22]!;
  const m = s[23]!;
  const n = s[24]!;
  const k = s[25]!;
  const lda = s[26]!;
  const ldb = s[27]!;
  const ldc = s[28]!;
  const flags = s[29]!;
  const mode = s[36]!;
  const size = s[37]!;
  const start = idx * size;
  if (mode === 0) {
    const count = Math.min(batch, start + size) - start;
    return [
      a + start * sa,
      b + start * sb,
      c + start * sc,
      count,
      sa,
      sb,
      sc,
      m,
      n,
      k,
      lda,
      ldb,
      ldc,
      flags,
      pa,
      pb,
      0,
      0,
    ];
  }
  if (mode === 1) {
    const rows = Math.min(m, start + size) - start;
    const aj = a + ((flags & 1) !== 0 ? start : start * lda) * 4;
    return [
      aj,
      b,
      c + start * ldc * 4,
      batch,
      sa,
      sb,
      sc,
      rows,
      n,
      k,
      lda,
      ldb,
      ldc,
      flags,
      pa,
      pb,
      start,
      0,
    ];
  }
  const cols = Math.min(n, start + size) - start;
  const bj = b + ((flags & 2) !== 0 ? start * ldb : start) * 4;
  return [a, bj, c + start * 4, batch, sa, sb, sc, m, cols, k, lda, ldb, ldc, flags, pa, pb, 0, start];
}

/** Slot of a row-wise job's total row count. */
export const ROW_TOTAL = 38;
/** Slot of a row-wise job's argument count. */
export const ROW_NARGS = 39;
/** Slot of the index of the argument that receives the chunk's row count. */
export const ROW_COUNT_ARG = 40;
/** First of the per-argument byte strides per row (int32 slots). */
export const ROW_STRIDES = 64;

/** Arguments for chunk `idx` of a row-wise job: base values `f` advanced by chunk start × per-row stride. */
export function rowArgs(s: Int32Array, f: Float64Array, idx: number): number[] {
  // Literal slot numbers, as in chunkArgs.
  const size = s[37]!;
  const rows = s[38]!;
  const n = s[39]!;
  const countArg = s[40]!;
  const start = idx * size;
  const count = Math.min(rows, start + size) - start;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i === countArg ? count : f[i]! + start * s[64 + i]!);
  return out;
}
