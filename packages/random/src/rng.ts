// sfc32 with two seeders: `createRng(number)` (the engine's: splitmix32 over the number) and
// `createSeededRng(string)` (the datasets': the first 16 bytes of sha256 of the string). Both give the full
// interface, and named sub-streams via `fork`. The sequences are stable across runs and platforms.

import { createHash } from 'node:crypto';

/** A deterministic random source. */
export interface Rng {
  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform float in [0, 1). */
  uniform(): number;
  /** Standard normal sample (Box-Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number;
  /** One element chosen uniformly; throws a RangeError on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream derived from this one's seed and a name. */
  fork(name: string): Rng;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator over sfc32 state words (warmed up by 12 rounds), with `fork` supplied by the seeder. */
function fromWords(words: [number, number, number, number], fork: (name: string) => Rng): Rng {
  let [a, b, c, d] = words;
  d |= 1;
  let spare: number | undefined;
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32();
  const uniform = (): number => nextUint32() / 4294967296;
  const int = (n: number): number => Math.floor(uniform() * n);
  return {
    nextUint32,
    uniform,
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = uniform();
      while (u === 0) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    pick(items) {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[int(items.length)] as (typeof items)[number];
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = tmp;
      }
      return items;
    },
    fork,
  };
}

/** Derives a child seed from a seed and a label, so independent streams (init, data, LoRA) stay stable. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed >>> 0) ^ 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return splitmix32(h)();
}

/** A random source from an integer seed (any JS number; its low 32 bits and a hash of the rest count). */
export function createRng(seed: number): Rng {
  const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / 4294967296));
  return fromWords([mix(), mix(), mix(), mix()], (name) => createRng(deriveSeed(seed, name)));
}

/** A random source from a (secret) string seed; `fork(name)` gives the stream of `seed + NUL + name`. */
export function createSeededRng(seed: string): Rng {
  const digest = createHash('sha256').update(seed).digest();
  return fromWords(
    [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)],
    (name) => createSeededRng(`${seed}\u0000${name}`),
  );
}
