// Token buckets for rate limits: one bucket (a connection's frame budget) and a bounded map of buckets by
// key (failed handshakes per address and key, progress frames per miner and job). Pure bookkeeping over
// an injected clock; callers decide what a refusal means.

/** One token bucket that refills `ratePerSecond` up to `burst` and may go into debt down to `-debt`. */
export interface TokenBucket {
  /** Spends `cost` tokens (default 1; even into debt, down to `-debt`); returns the level left. */
  spend(cost?: number): number;
  /** The level now. */
  level(): number;
}

/** Creates a full bucket. */
export function createTokenBucket(
  ratePerSecond: number,
  burst: number,
  now: () => number,
  debt = 0,
): TokenBucket {
  let tokens = burst;
  let at = now();
  const refill = () => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - at) * ratePerSecond) / 1000);
    at = t;
    return tokens;
  };
  return {
    spend: (cost = 1) => {
      tokens = Math.max(refill() - cost, -debt);
      return tokens;
    },
    level: refill,
  };
}

/** Buckets by key, at most `maxKeys` of them (least recently used dropped first); unknown keys are full. */
export interface KeyedBuckets {
  /** Takes one token if the key has one; false (taking nothing) when it is empty. */
  take(key: string): boolean;
  /** Spends one token even when that empties the bucket (a recorded failure). */
  spend(key: string): void;
  /** Whether the key has less than one token. */
  empty(key: string): boolean;
  /** Number of keys tracked (buckets that refilled to full are forgotten). */
  size(): number;
}

/** Creates keyed buckets of `burst` tokens refilling at `ratePerSecond`. */
export function createKeyedBuckets(
  ratePerSecond: number,
  burst: number,
  maxKeys: number,
  now: () => number,
): KeyedBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const level = (key: string): number => {
    const bucket = buckets.get(key);
    if (!bucket) return burst;
    const t = now();
    const tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) * ratePerSecond) / 1000);
    if (tokens >= burst) {
      buckets.delete(key);
      return burst;
    }
    return tokens;
  };
  const store = (key: string, tokens: number) => {
    buckets.delete(key);
    buckets.set(key, { tokens, at: now() });
    if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
  };
  return {
    take: (key) => {
      const tokens = level(key);
      if (tokens < 1) return false;
      store(key, tokens - 1);
      return true;
    },
    spend: (key) => store(key, Math.max(level(key) - 1, 0)),
    empty: (key) => level(key) < 1,
    size: () => buckets.size,
  };
}
