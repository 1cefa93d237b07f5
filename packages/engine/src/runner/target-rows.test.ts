import { describe, expect, it } from 'vitest';
import {
  blockRows,
  expandRows,
  gatherRows,
  gatherRowsInto,
  headRows,
  selectTargetRows,
} from './target-rows.js';

const rowsOf = (x: Float32Array, cols: number) =>
  Array.from({ length: x.length / cols }, (_, r) => Array.from(x.subarray(r * cols, r * cols + cols)));

describe('target rows', () => {
  it('lists the rows with a target in order, with their targets', () => {
    const index = new Int32Array(6).fill(-9);
    const compact = new Int32Array(6).fill(-9);
    const pass = selectTargetRows(Int32Array.from([-1, 4, -1, 0, 7, -1]), 6, index, compact);
    expect(pass).toMatchObject({ rows: 6, targetRows: 3, compact: true });
    expect(Array.from(index.subarray(0, 3))).toEqual([1, 3, 4]);
    expect(Array.from(compact.subarray(0, 3))).toEqual([4, 0, 7]);
  });

  it('is compact only when some rows but not all carry a target', () => {
    const select = (targets: number[]) =>
      selectTargetRows(Int32Array.from(targets), targets.length, new Int32Array(4), new Int32Array(4));
    expect(select([1, 2, 3, 4]).compact).toBe(false);
    expect(select([-1, -1, -1, -1])).toMatchObject({ targetRows: 0, compact: false });
    // Only the first `rows` entries count: the rest of a reused buffer is ignored.
    expect(select([1, -1, -1, 5]).compact).toBe(true);
    expect(
      selectTargetRows(Int32Array.from([1, 2, -1]), 2, new Int32Array(3), new Int32Array(3)).compact,
    ).toBe(false);
  });

  it('runs only the last block and the head on the target rows of a compact pass', () => {
    const pass = selectTargetRows(Int32Array.from([-1, 3, -1, 2]), 4, new Int32Array(4), new Int32Array(4));
    expect([0, 1, 2].map((layer) => blockRows(pass, layer, 3))).toEqual([4, 4, 2]);
    expect(headRows(pass)).toBe(2);
    const full = { ...pass, compact: false };
    expect([blockRows(full, 2, 3), headRows(full)]).toEqual([4, 4]);
  });

  it('gathers target rows to the front and expands them back, zeroing the other rows', () => {
    const x = Float32Array.from({ length: 10 }, (_, i) => i + 1);
    const index = Int32Array.from([1, 3, 4]);
    gatherRows(x, index, 3, 2);
    expect(rowsOf(x, 2).slice(0, 3)).toEqual([
      [3, 4],
      [7, 8],
      [9, 10],
    ]);
    expandRows(x, index, 3, 5, 2);
    expect(rowsOf(x, 2)).toEqual([
      [0, 0],
      [3, 4],
      [0, 0],
      [7, 8],
      [9, 10],
    ]);
  });

  it('gathers target rows into another buffer, leaving the source alone', () => {
    const from = Float32Array.from({ length: 8 }, (_, i) => i);
    const to = new Float32Array(8).fill(-1);
    gatherRowsInto(from, to, Int32Array.from([0, 2, 3]), 3, 2);
    expect(Array.from(to)).toEqual([0, 1, 4, 5, 6, 7, -1, -1]);
    expect(Array.from(from)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
