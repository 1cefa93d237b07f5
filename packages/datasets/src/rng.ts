// Seeded randomness for splits, transforms and generators, keyed by secret string seeds.
// Sub-streams are derived by name with SHA-256 so one job seed drives independent choices; not for crypto.
import { createHash } from 'node:crypto';
import { DatasetError } from './errors.js';

/** A deterministic random source. */
export interface SeededRng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number;
  /** One element chosen uniformly; throws `invalid_option` for an empty list. */
  pick<T>(items: readonly T[]): T;
  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream derived from this one's seed and a name. */
  fork(name: string): SeededRng;
}

/** Creates a random source (sfc32) from any string seed; `fork` derives named sub-streams. */
export function createSeededRng(seed: string): SeededRng {
  const digest = createHash('sha256').update(seed).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12) | 1;
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint32();
  const next = (): number => nextUint32() / 4294967296;
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    pick: (items) => {
      if (items.length === 0) throw new DatasetError('invalid_option', 'cannot pick from an empty list');
      return items[int(items.length)]!;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        // i and j are both below items.length.
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
    fork: (name) => createSeededRng(`${seed}\u0000${name}`),
  };
}
