// How busy each miner is (pending offers plus accepted offers of jobs still offering or running), read from
// the database once and then kept up to date by the scheduler, which makes every change to offers and job
// ends on its serial queue. So a round costs a map lookup per miner instead of an aggregate query.

import type { OffersRepo } from '../db/offers-repo.js';

/** Busy slots per miner. */
export interface MinerLoads {
  /** Loads the counts on first use; later calls resolve at once. */
  ready(): Promise<void>;
  /** A miner's busy slots (0 before `ready`). */
  busy(minerId: string): number;
  /** Adds `delta` after a stored change; before the first load the database already holds it. */
  add(minerId: string, delta: number): void;
}

/** Creates the load counts over the offers repository. */
export function createMinerLoads(offers: Pick<OffersRepo, 'loadByMiner'>): MinerLoads {
  let counts: Map<string, number> | undefined;
  let loading: Promise<void> | undefined;
  return {
    ready: () =>
      (loading ??= offers.loadByMiner().then((rows) => {
        counts = new Map([...rows].map(([minerId, load]) => [minerId, load.pending + load.active]));
      })),
    busy: (minerId) => counts?.get(minerId) ?? 0,
    add: (minerId, delta) => {
      if (!counts) return;
      const next = (counts.get(minerId) ?? 0) + delta;
      if (next > 0) counts.set(minerId, next);
      else counts.delete(minerId);
    },
  };
}
