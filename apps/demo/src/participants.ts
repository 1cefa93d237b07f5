// The demo's line-up: four honest miners of four owners, each a different built-in engine strategy, and
// every red-team strategy (two `duplicate` miners of one owner). Red-team options that point at files
// (the impostor base, the leaked test split, the shared stash, the copied miner's data) come from `where`.

import type { EngineTrainerOptions, RedTeamOptions } from '@tuning-arena/miner';

/** Where the demo keeps what red-team miners are handed. */
export interface DemoPlaces {
  /** The impostor's model directory (arena-nano-moby). */
  impostorModelDir: string;
  /** The validator's data directory (its `jobs/<id>/test.jsonl` is the simulated leak). */
  validatorDataDir: string;
  /** A miner's data directory. */
  minerDir(name: string): string;
  /** A folder shared by one owner's miners. */
  sharedDir(owner: string): string;
}

/** One demo miner: honest (engine options) or red team (a bare strategy name and its options). */
export type Participant = { name: string; owner: string; capacity?: number } & (
  | { honest: true; strategy: string; engine: EngineTrainerOptions }
  | { honest: false; strategy: string; red: (where: DemoPlaces) => RedTeamOptions }
);

/**
 * The four honest strategies: the engine's own choice and three full fine-tunes. On models this small
 * full fine-tuning beats LoRA by about a nat in these time limits, so a LoRA miner would rank below the
 * red team's full fine-tunes on extra data; LoRA line-ups are for larger bases.
 */
export const HONEST: Participant[] = [
  { name: 'ada', owner: 'ada', honest: true, strategy: 'engine-default', engine: { seed: 1 } },
  {
    name: 'bo',
    owner: 'bo',
    honest: true,
    strategy: 'full-3e-3-b16',
    engine: { method: 'full', learningRate: 3e-3, batchSize: 16, seed: 2 },
  },
  // Cy stops early enough for the copy below to find its artifact before the deadline.
  {
    name: 'cy',
    owner: 'cy',
    honest: true,
    strategy: 'full-1e-3',
    engine: { method: 'full', learningRate: 1e-3, reserveMs: 6000, seed: 3 },
  },
  {
    name: 'dee',
    owner: 'dee',
    honest: true,
    strategy: 'full-2e-3',
    engine: { method: 'full', learningRate: 2e-3, seed: 4 },
  },
];

/** Every red-team strategy; `eve` and `eve-2` share one training. */
export const RED_TEAM: Participant[] = [
  {
    name: 'eve',
    owner: 'eve',
    honest: false,
    strategy: 'duplicate',
    red: (w) => ({ stashDir: w.sharedDir('eve') }),
  },
  {
    name: 'eve-2',
    owner: 'eve',
    honest: false,
    strategy: 'duplicate',
    red: (w) => ({ stashDir: w.sharedDir('eve') }),
  },
  // Cy's owner shares cy's data directory with fay.
  {
    name: 'fay',
    owner: 'fay',
    honest: false,
    strategy: 'perturbed-copy',
    red: (w) => ({ sourceDataDir: w.minerDir('cy') }),
  },
  {
    name: 'gus',
    owner: 'gus',
    honest: false,
    strategy: 'impostor',
    red: (w) => ({ impostorModelDir: w.impostorModelDir }),
  },
  {
    name: 'hal',
    owner: 'hal',
    honest: false,
    strategy: 'blend',
    red: (w) => ({ impostorModelDir: w.impostorModelDir }),
  },
  { name: 'ivy', owner: 'ivy', honest: false, strategy: 'base', red: () => ({}) },
  {
    name: 'jo',
    owner: 'jo',
    honest: false,
    strategy: 'test-leak',
    red: (w) => ({ leakFile: `${w.validatorDataDir}/jobs/{jobId}/test.jsonl` }),
  },
  { name: 'kai', owner: 'kai', honest: false, strategy: 'public-source', red: () => ({}) },
  { name: 'lee', owner: 'lee', honest: false, strategy: 'lazy', red: () => ({}) },
];

/** The default line-up: honest miners first, then the red team. */
export const DEFAULT_PARTICIPANTS: Participant[] = [...HONEST, ...RED_TEAM];
