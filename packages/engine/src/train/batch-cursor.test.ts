import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { createBatchCursor } from './batch-cursor.js';
import { epochBatches } from './epoch-order.js';

describe('batch cursor', () => {
  it('serves every sequence once an epoch and counts the epochs', () => {
    const lengths = [5, 3, 8, 1, 4, 4, 9];
    const cursor = createBatchCursor(lengths, 3, createRng(1), true);
    expect(cursor.epoch).toBe(0);
    for (const epoch of [1, 2]) {
      const seen = [cursor.next(), cursor.next(), cursor.next()].flat();
      expect(cursor.epoch).toBe(epoch);
      expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
  });

  it('follows epochBatches on the same random stream, epoch after epoch', () => {
    const lengths = [2, 7, 1, 8, 2, 8];
    const rng = createRng(4);
    const want = [...epochBatches(lengths, 4, rng, false), ...epochBatches(lengths, 4, rng, false)];
    const cursor = createBatchCursor(lengths, 4, createRng(4), false);
    expect(want.map(() => cursor.next())).toEqual(want);
  });
});
