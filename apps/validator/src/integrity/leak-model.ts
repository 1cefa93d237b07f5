// The statistics behind rule `test-leak`. A fine-tune gains over the base on all three sets: the hidden test
// split, the synthetic set made after the deadline and a sample of the job's own train rows. How much test
// gain comes with a given synthetic or train-sample gain is read off the job's pool. Knowledge sets gain
// ~1.4x as much on test as on synthetic rows; procedural sets gain about the same on both. The pool's ratio
// is weighted towards peers at the submission's own stage of training, because the ratio drifts as training
// goes on. A leaker gains on test what neither reference predicts: that is the excess. A paired row bootstrap
// (the same resampled rows for every model) says how much of the excess is the noise of which rows happened
// to be drawn; one bootstrap serves every submission of a pool (leak.ts runs it once per judged pool).
// Pure and seeded; no I/O.

import type { ExampleLosses, SetLosses } from '../evaluation/facts.js';
import { weightedMedian } from './stats.js';

/** ln(base / own) per set: how many nats a model gained over the base (negative: it got worse). */
export type Gains = SetLosses;

/** The reference sets a test gain is compared with. */
type ReferenceSet = 'synthetic' | 'trainSample';

/** Gains below this (nats) say nothing about a ratio; such peers do not vote. */
const MIN_GAIN = 0.01;

/** ln(base / own) on each set. */
export function gainsOver(base: SetLosses, own: SetLosses): Gains {
  return {
    test: Math.log(base.test / own.test),
    synthetic: Math.log(base.synthetic / own.synthetic),
    trainSample: Math.log(base.trainSample / own.trainSample),
  };
}

const finiteGains = (g: Gains) =>
  Number.isFinite(g.test) && Number.isFinite(g.synthetic) && Number.isFinite(g.trainSample);

/** Whether a peer gained enough on both reference sets for its ratios to count. */
export const isReferencePeer = (g: Gains) =>
  finiteGains(g) && g.synthetic > MIN_GAIN && g.trainSample > MIN_GAIN;

/**
 * The pool's test gain per nat gained on `set`: the median of the peers' ratios, each weighted by its gain
 * on the set (small gains give noisy ratios) and by how close that gain is to the submission's own, on a log
 * scale with `bandwidth` (a peer twice as far along counts exp(−ln²2 / 2bw²)). NaN without a peer.
 */
export function poolRatio(own: Gains, peers: readonly Gains[], set: ReferenceSet, bandwidth: number): number {
  const ratios: number[] = [];
  const weights: number[] = [];
  for (const peer of peers) {
    if (!isReferencePeer(peer)) continue;
    const near =
      own[set] > MIN_GAIN
        ? Math.exp(-(Math.log(peer[set] / own[set]) ** 2) / (2 * bandwidth * bandwidth))
        : 1;
    ratios.push(peer.test / peer[set]);
    weights.push(peer[set] * near);
  }
  return weightedMedian(ratios, weights);
}

/** A submission's test gain beyond what its synthetic and train-sample gains predict from the pool. */
export interface LeakExcess {
  /** The pool's test gain per nat of synthetic gain, and per nat of train-sample gain. */
  syntheticRatio: number;
  trainRatio: number;
  /** Own test gain − syntheticRatio × own synthetic gain, a negative one taken as 0 (a leaker gains on test what it cannot on fresh rows). */
  syntheticExcess: number;
  /** Own test gain − trainRatio × own train-sample gain, a negative one taken as 0 (a leaker knows test rows better than its train rows). */
  trainExcess: number;
  /** The sum: the rule's effect size, in nats. */
  excess: number;
}

/** The excess of `own` against `peers` (all as gains over the base). */
export function leakExcess(own: Gains, peers: readonly Gains[], bandwidth: number): LeakExcess {
  const syntheticRatio = poolRatio(own, peers, 'synthetic', bandwidth);
  const trainRatio = poolRatio(own, peers, 'trainSample', bandwidth);
  // A set the model got worse on predicts no test gain (not a loss scaled by the ratio).
  const syntheticExcess = own.test - syntheticRatio * Math.max(0, own.synthetic);
  const trainExcess = own.test - trainRatio * Math.max(0, own.trainSample);
  return { syntheticRatio, trainRatio, syntheticExcess, trainExcess, excess: syntheticExcess + trainExcess };
}

/** The row means of every model of a pool in each bootstrap resample (row 0 = the base). */
export interface ResampledMeans {
  /** Subjects in table order: 'base', then miner ids. */
  subjects: string[];
  /** [resample][subject] → that model's mean losses on the resampled rows. */
  means: SetLosses[][];
}

const SETS = ['test', 'synthetic', 'trainSample'] as const;

function usable(losses: ExampleLosses, like: ExampleLosses): boolean {
  return SETS.every((set) => losses[set].length === like[set].length && losses[set].length > 0);
}

/**
 * Resamples the rows of each set `resamples` times (the same rows for every model) and keeps every model's
 * mean on them. Rows the base has no loss for (no answer tokens) are left out; models whose per-example
 * losses do not line up with the base's are not in the table.
 */
export function resampleMeans(
  base: ExampleLosses,
  models: ReadonlyMap<string, ExampleLosses>,
  options: { resamples: number; uniform: () => number },
): ResampledMeans {
  const subjects = ['base', ...[...models].filter(([, losses]) => usable(losses, base)).map(([id]) => id)];
  const table = subjects.map((id) => (id === 'base' ? base : models.get(id)!));
  const rows = Object.fromEntries(
    SETS.map((set) => [set, [...base[set].keys()].filter((i) => Number.isFinite(base[set][i]!))]),
  ) as Record<(typeof SETS)[number], number[]>;
  const means: SetLosses[][] = [];
  for (let r = 0; r < options.resamples; r++) {
    const picked = Object.fromEntries(
      SETS.map((set) => {
        const kept = rows[set];
        return [
          set,
          Array.from({ length: kept.length }, () => kept[Math.floor(options.uniform() * kept.length)]!),
        ];
      }),
    ) as Record<(typeof SETS)[number], number[]>;
    means.push(
      table.map((losses) => {
        const mean = (set: (typeof SETS)[number]) => {
          let sum = 0;
          for (const i of picked[set]) sum += losses[set][i]!;
          return sum / picked[set].length;
        };
        return { test: mean('test'), synthetic: mean('synthetic'), trainSample: mean('trainSample') };
      }),
    );
  }
  return { subjects, means };
}

/**
 * For every model of `gains`, the `count` other reference peers nearest to it in synthetic gain (log scale),
 * the ones the stage weighting favours anyway; for a model that did not gain on the synthetic set, the peers
 * that gained most. It bounds the rule to O(pool × count) per resample on a pool of thousands: the peers are
 * sorted once and each model's nearest are a window around its place. Indices into `gains`.
 */
export function nearestPeersOfAll(gains: readonly Gains[], count: number): number[][] {
  const reference = gains.map((_, i) => i).filter((i) => isReferencePeer(gains[i]!));
  const key = (i: number) => Math.log(gains[i]!.synthetic);
  reference.sort((a, b) => key(a) - key(b) || a - b);
  const keys = reference.map(key);
  return gains.map((own, self) => {
    const picked: number[] = [];
    if (!(own.synthetic > MIN_GAIN)) {
      for (let k = reference.length - 1; k >= 0 && picked.length < count; k--) {
        if (reference[k] !== self) picked.push(reference[k]!);
      }
      return picked;
    }
    const target = Math.log(own.synthetic);
    let right = 0;
    while (right < keys.length && keys[right]! < target) right++;
    let left = right - 1;
    while (picked.length < count && (left >= 0 || right < keys.length)) {
      const takeLeft = right >= keys.length || (left >= 0 && target - keys[left]! <= keys[right]! - target);
      const k = takeLeft ? left-- : right++;
      if (reference[k] !== self) picked.push(reference[k]!);
    }
    return picked;
  });
}

/**
 * The standard deviation over the resamples of each pool submission's excess, against the peers `peersOf`
 * names for it (table subjects). NaN for one with fewer than 2 finite resampled excesses.
 */
export function excessNoise(
  table: ResampledMeans,
  peersOf: ReadonlyMap<string, readonly string[]>,
  bandwidth: number,
): Map<string, number> {
  const position = new Map(table.subjects.map((id, i) => [id, i]));
  const judged = [...peersOf].flatMap(([id, peers]) => {
    const own = position.get(id);
    if (own === undefined || own === 0) return [];
    return [{ id, own, peers: peers.flatMap((peer) => position.get(peer) ?? []).filter((i) => i > 0) }];
  });
  const samples = new Map(judged.map(({ id }) => [id, [] as number[]]));
  for (const row of table.means) {
    const base = row[0]!;
    const gains = row.map((means) => gainsOver(base, means));
    for (const { id, own, peers } of judged) {
      const { excess } = leakExcess(
        gains[own]!,
        peers.map((i) => gains[i]!),
        bandwidth,
      );
      if (Number.isFinite(excess)) samples.get(id)!.push(excess);
    }
  }
  const noise = new Map<string, number>();
  for (const [id, values] of samples) {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
    noise.set(id, values.length < 2 ? Number.NaN : Math.sqrt(variance));
  }
  return noise;
}
