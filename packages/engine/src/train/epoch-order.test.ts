import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { epochBatches } from './epoch-order.js';

describe('epoch order', () => {
  const lengths = Array.from({ length: 300 }, (_, i) => 5 + ((i * 37) % 60));

  it('visits every sequence exactly once, in batches of the requested size', () => {
    for (const grouped of [true, false]) {
      const batches = epochBatches(lengths, 8, createRng(1), grouped);
      expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
      expect(batches.filter((b) => b.length !== 8).length).toBeLessThanOrEqual(3);
    }
  });

  it('groups similar lengths, cutting padding, and is the same for the same seed', () => {
    const padding = (batches: number[][]) =>
      batches.reduce((sum, b) => {
        const longest = Math.max(...b.map((i) => lengths[i]!));
        return sum + b.reduce((s, i) => s + longest - lengths[i]!, 0);
      }, 0);
    const grouped = epochBatches(lengths, 8, createRng(2), true);
    expect(padding(grouped)).toBeLessThan(padding(epochBatches(lengths, 8, createRng(2), false)) / 4);
    expect(epochBatches(lengths, 8, createRng(2), true)).toEqual(grouped);
  });
});
