// Training progress over time, per job and miner, kept in memory for the console's loss curves: the offers
// table stores only the latest report. Bounded twice: at most `maxPoints` per offer (past that every other
// point is dropped, so the whole run stays drawn at half the resolution) and at most `maxOffers` offers
// (the oldest forgotten). Lost on restart; the latest point is still in the database then.

import type { ProgressPoint } from '@tuning-arena/protocol';

/** The kept reports. */
export interface ProgressHistory {
  add(jobId: string, minerId: string, point: ProgressPoint): void;
  /** The points of one offer, oldest first (empty when none). */
  points(jobId: string, minerId: string): ProgressPoint[];
  /** The latest ETA a miner reported for a job (undefined when none). */
  eta(jobId: string, minerId: string): number | undefined;
  /** Notes an ETA from a report before it is stored (the stored report does not carry it). */
  noteEta(jobId: string, minerId: string, etaSeconds: number): void;
}

/** Creates an empty history. */
export function createProgressHistory(limits: { maxPoints: number; maxOffers: number }): ProgressHistory {
  const offers = new Map<string, ProgressPoint[]>();
  const etas = new Map<string, number>();
  const key = (jobId: string, minerId: string) => `${jobId} ${minerId}`;
  const bound = <V>(map: Map<string, V>) => {
    if (map.size > limits.maxOffers) map.delete(map.keys().next().value as string);
  };
  return {
    add: (jobId, minerId, point) => {
      const k = key(jobId, minerId);
      let points = offers.get(k);
      if (!points) {
        points = [];
        offers.set(k, points);
        bound(offers);
      }
      points.push(point);
      if (points.length > limits.maxPoints) {
        const halved = points.filter((_, i) => i % 2 === 1 || i === points!.length - 1);
        offers.set(k, halved);
      }
    },
    points: (jobId, minerId) => [...(offers.get(key(jobId, minerId)) ?? [])],
    eta: (jobId, minerId) => etas.get(key(jobId, minerId)),
    noteEta: (jobId, minerId, etaSeconds) => {
      etas.set(key(jobId, minerId), etaSeconds);
      bound(etas);
    },
  };
}
