// Named one-shot timers at absolute times, rebuilt from the database after a restart. Long delays are
// re-armed in steps because setTimeout caps at about 24.8 days. Timers never keep the process alive.

const MAX_DELAY_MS = 2 ** 31 - 1;

/** Keyed one-shot timers. */
export interface Timers {
  /** Runs `fire` at time `at` (ms since epoch; past times fire at once), replacing a timer of the same key. */
  at(key: string, at: number, fire: () => void): void;
  clear(key: string): void;
  clearAll(): void;
  has(key: string): boolean;
}

/** Creates a timer set driven by `now`. */
export function createTimers(now: () => number = Date.now): Timers {
  const handles = new Map<string, NodeJS.Timeout>();
  const arm = (key: string, at: number, fire: () => void) => {
    const delay = Math.max(0, at - now());
    const handle = setTimeout(
      () => {
        if (handles.get(key) !== handle) return;
        if (at - now() > 0) return arm(key, at, fire);
        handles.delete(key);
        fire();
      },
      Math.min(delay, MAX_DELAY_MS),
    );
    handle.unref();
    handles.set(key, handle);
  };
  return {
    at: (key, at, fire) => {
      const existing = handles.get(key);
      if (existing) clearTimeout(existing);
      arm(key, at, fire);
    },
    clear: (key) => {
      const existing = handles.get(key);
      if (existing) clearTimeout(existing);
      handles.delete(key);
    },
    clearAll: () => {
      for (const handle of handles.values()) clearTimeout(handle);
      handles.clear();
    },
    has: (key) => handles.has(key),
  };
}
