// Warnings for defensive limits that bite: one `limit.<name>` line per limit and key (a miner, an address)
// per interval, later hits in the interval only counted and reported as `suppressed` on the next line, so
// an attacker hammering a limit cannot turn the log itself into a flood. It enforces no limit itself.

import type { Logger } from './logger.js';

/** Logs limit hits with per-key throttling. */
export interface LimitLog {
  /** Records that `limit` bit for `key`; logs `limit.<limit>` unless one was logged for it recently. */
  hit(limit: string, key: string, fields: Record<string, unknown>): void;
}

/** Options of createLimitLog. */
interface LimitLogOptions {
  /** At most one line per limit and key in this many ms (default 10 s). */
  intervalMs?: number;
  /** Keys remembered at once; past this the memory is cleared (default 10 000). */
  maxKeys?: number;
  now?: () => number;
  /** Told of every hit, throttled or not (the metrics' `arena_limit_hits_total`). */
  onHit?: (limit: string) => void;
}

/** Creates a throttled limit logger over `logger`. */
export function createLimitLog(logger: Logger, options: LimitLogOptions = {}): LimitLog {
  const intervalMs = options.intervalMs ?? 10_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const recent = new Map<string, { loggedAt: number; suppressed: number }>();
  return {
    hit: (limit, key, fields) => {
      options.onHit?.(limit);
      const id = `${limit}\u0000${key}`;
      const at = now();
      const seen = recent.get(id);
      if (seen && at - seen.loggedAt < intervalMs) {
        seen.suppressed++;
        return;
      }
      if (!seen && recent.size >= maxKeys) recent.clear();
      const suppressed = seen?.suppressed ?? 0;
      recent.set(id, { loggedAt: at, suppressed: 0 });
      logger.warn(`limit.${limit}`, suppressed > 0 ? { ...fields, suppressed } : fields);
    },
  };
}
