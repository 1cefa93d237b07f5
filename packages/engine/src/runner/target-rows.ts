// Row bookkeeping for loss-only rows: which rows of a batch carry a target, and moving rows between the full
// [rows, cols] layout and the compact one that holds only those rows. Pure array work; runs no kernels.

/** Which rows of the last forward carry a target, and whether the tail of the model ran on those alone. */
export interface PassRows {
  /** Every row of the batch: batchSize·seqLen. */
  readonly rows: number;
  /** Rows with a target (>= 0). */
  readonly targetRows: number;
  /** Whether the last block's tail, the final norm and the LM head ran on the target rows only. */
  readonly compact: boolean;
  /** Row index b·seqLen + t of each target row, ascending (first `targetRows` entries valid). */
  readonly rowIndex: Int32Array;
}

/**
 * Lists the rows whose target is >= 0 into `rowIndex` and their targets into `compactTargets`. Compact only
 * when some rows but not all carry a target (nothing else reaches the loss; with none there is nothing to do).
 */
export function selectTargetRows(
  targets: Int32Array,
  rows: number,
  rowIndex: Int32Array,
  compactTargets: Int32Array,
): PassRows {
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const t = targets[i]!;
    if (t >= 0) {
      rowIndex[count] = i;
      compactTargets[count] = t;
      count++;
    }
  }
  return { rows, targetRows: count, compact: count > 0 && count < rows, rowIndex };
}

/** Rows that layer `layer` of `nLayer` runs its tail (c_proj onwards) on: the target rows in a compact last block. */
export function blockRows(pass: PassRows, layer: number, nLayer: number): number {
  return pass.compact && layer === nLayer - 1 ? pass.targetRows : pass.rows;
}

/** Rows of the final norm and LM-head input: the target rows when compact, else every row. */
export function headRows(pass: PassRows): number {
  return pass.compact ? pass.targetRows : pass.rows;
}

/** Moves rows index[0..count) of x [*, cols] to rows 0..count in place (index ascending). */
export function gatherRows(x: Float32Array, index: Int32Array, count: number, cols: number): void {
  for (let q = 0; q < count; q++) {
    const src = index[q]!;
    if (src !== q) x.copyWithin(q * cols, src * cols, src * cols + cols);
  }
}

/** Copies rows index[0..count) of `from` [*, cols] to rows 0..count of `to`. */
export function gatherRowsInto(
  from: Float32Array,
  to: Float32Array,
  index: Int32Array,
  count: number,
  cols: number,
): void {
  for (let q = 0; q < count; q++) {
    const src = index[q]! * cols;
    to.set(from.subarray(src, src + cols), q * cols);
  }
}

/** Inverse of gatherRows: row q goes back to row index[q]; every other of the `rows` rows becomes zero. */
export function expandRows(
  x: Float32Array,
  index: Int32Array,
  count: number,
  rows: number,
  cols: number,
): void {
  for (let q = count - 1; q >= 0; q--) {
    const dst = index[q]!;
    if (dst !== q) x.copyWithin(dst * cols, q * cols, q * cols + cols);
  }
  let next = 0;
  for (let i = 0; i < rows; i++) {
    if (next < count && index[next] === i) next++;
    else x.fill(0, i * cols, i * cols + cols);
  }
}
