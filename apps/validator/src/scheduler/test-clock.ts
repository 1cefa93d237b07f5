// Test-only manual clock (excluded from the build): `now` and any number of Timers sets on it, so a test can
// jump hours ahead and fire every timer due on the way, in time order, letting the validator settle after
// each. Nothing runs on real time; `settle` is the test's way of waiting for the work a timer started.

import type { Timers } from './timers.js';

/** A clock that moves only when told. */
export interface ManualClock {
  now(): number;
  /** A Timers set on this clock (the validator config's `createTimers`). */
  createTimers(): Timers;
  /** Moves to `at` (ms), firing every due timer in time order and awaiting `settle` after each. */
  advanceTo(at: number, settle: () => Promise<void>): Promise<void>;
  /** Moves `ms` ahead (see advanceTo). */
  advance(ms: number, settle: () => Promise<void>): Promise<void>;
  /** Times of the pending timers, earliest first. */
  pending(): number[];
}

/** Creates a manual clock at `start` (ms since the epoch). */
export function createManualClock(start: number): ManualClock {
  let current = start;
  let order = 0;
  const due = new Map<symbol, { at: number; order: number; fire: () => void }>();

  const createTimers = (): Timers => {
    const mine = new Map<string, symbol>();
    const clear = (key: string) => {
      const id = mine.get(key);
      if (id) due.delete(id);
      mine.delete(key);
    };
    return {
      at: (key, at, fire) => {
        clear(key);
        const id = Symbol(key);
        mine.set(key, id);
        due.set(id, {
          at,
          order: order++,
          fire: () => {
            mine.delete(key);
            fire();
          },
        });
      },
      clear,
      clearAll: () => {
        for (const key of [...mine.keys()]) clear(key);
      },
      has: (key) => mine.has(key),
    };
  };

  const advanceTo = async (at: number, settle: () => Promise<void>) => {
    for (;;) {
      let next: [symbol, { at: number; order: number; fire: () => void }] | undefined;
      for (const entry of due) {
        if (entry[1].at > at) continue;
        if (
          !next ||
          entry[1].at < next[1].at ||
          (entry[1].at === next[1].at && entry[1].order < next[1].order)
        ) {
          next = entry;
        }
      }
      if (!next) break;
      due.delete(next[0]);
      current = Math.max(current, next[1].at);
      next[1].fire();
      await settle();
    }
    current = Math.max(current, at);
    await settle();
  };

  return {
    now: () => current,
    createTimers,
    advanceTo,
    advance: (ms, settle) => advanceTo(current + ms, settle),
    pending: () => [...due.values()].map((entry) => entry.at).sort((a, b) => a - b),
  };
}
