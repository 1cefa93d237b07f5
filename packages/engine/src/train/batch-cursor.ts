// Walks the training batches epoch after epoch: a new seeded order (epoch-order.ts) each time the last
// one runs out, and the number of the epoch in progress. It builds no batch memory and reads no tokens.

import type { Rng } from '../rng.js';
import { epochBatches } from './epoch-order.js';

/** An endless stream of batches (lists of sequence indices). */
export interface BatchCursor {
  /** The next batch, starting a new epoch when the current one is used up. */
  next(): number[];
  /** The epoch of the last batch returned (1-based; 0 before the first). */
  readonly epoch: number;
}

/** Creates a cursor over sequences of `lengths`, shuffled by `rng` as epochBatches does. */
export function createBatchCursor(
  lengths: readonly number[],
  batchSize: number,
  rng: Rng,
  groupByLength: boolean,
): BatchCursor {
  let batches: number[][] = [];
  let cursor = 0;
  let epoch = 0;
  return {
    next() {
      if (cursor >= batches.length) {
        batches = epochBatches(lengths, batchSize, rng, groupByLength);
        cursor = 0;
        epoch++;
      }
      return batches[cursor++]!;
    },
    get epoch() {
      return epoch;
    },
  };
}
