// Reconnect delays: exponential growth capped at a maximum, with random jitter so that many miners
// dropped at once do not reconnect in lock-step. Pure arithmetic; scheduling is the caller's business.

/** Shape of the backoff schedule. */
export interface BackoffOptions {
  /** First delay in milliseconds (default 500). */
  initialMs?: number;
  /** Largest delay in milliseconds (default 30 000). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of each delay that is randomised, 0..1 (default 0.5): delay * (1 - jitter + jitter * random). */
  jitter?: number;
  /** Source of randomness in [0, 1) (default Math.random); injected by tests. */
  random?: () => number;
}

/** A stateful backoff schedule: `next()` gives the next delay, `reset()` starts over after a success. */
export interface Backoff {
  next(): number;
  reset(): void;
  readonly attempt: number;
}

/** Creates an exponential backoff schedule with jitter. */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 500;
  const maxMs = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    next() {
      const base = Math.min(maxMs, initialMs * factor ** attempt);
      attempt += 1;
      return Math.round(base * (1 - jitter + jitter * random()));
    },
    reset() {
      attempt = 0;
    },
    get attempt() {
      return attempt;
    },
  };
}
