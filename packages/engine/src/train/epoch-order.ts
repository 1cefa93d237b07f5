// Batch order for one epoch: a seeded shuffle, optionally grouped by length (as Hugging Face's
// group_by_length) so batches hold sequences of similar length and padding wastes little compute.

import type { Rng } from '../rng.js';

/** Sequences per group that are sorted by length before being cut into batches. */
const GROUP_BATCHES = 16;

/** The batches (lists of sequence indices) of one epoch. */
export function epochBatches(
  lengths: readonly number[],
  batchSize: number,
  rng: Rng,
  groupByLength: boolean,
): number[][] {
  const order = rng.shuffle(lengths.map((_, i) => i));
  const batches: number[][] = [];
  if (!groupByLength) {
    for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
    return batches;
  }
  const group = batchSize * GROUP_BATCHES;
  for (let g = 0; g < order.length; g += group) {
    const members = order.slice(g, g + group).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
    for (let i = 0; i < members.length; i += batchSize) batches.push(members.slice(i, i + batchSize));
  }
  // Shuffle whole batches so long and short ones alternate across the epoch.
  return rng.shuffle(batches);
}
