// Rate-limited warnings for events any peer can trigger at will (refused frames, bad upgrade requests):
// at most a few lines per second per event name, later ones only counted and reported as `suppressed` on
// the next line that gets through, so the log cannot become a flood. Limit hits use limit-log.ts instead.

import type { Logger } from '../logger.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';

/** A warn-level logger that drops lines past a per-event rate. */
export interface LogThrottle {
  warn(event: string, fields: Record<string, unknown>): void;
}

/** Creates a log throttle allowing `perSecond` lines per event name (bursts of 10x). */
export function createLogThrottle(logger: Logger, now: () => number, perSecond = 5): LogThrottle {
  const events = new Map<string, { bucket: TokenBucket; suppressed: number }>();
  return {
    warn: (event, fields) => {
      let state = events.get(event);
      if (!state) {
        state = { bucket: createTokenBucket(perSecond, 10 * perSecond, now), suppressed: 0 };
        events.set(event, state);
      }
      if (state.bucket.level() < 1) {
        state.suppressed++;
        return;
      }
      state.bucket.spend();
      const suppressed = state.suppressed;
      state.suppressed = 0;
      logger.warn(event, suppressed > 0 ? { ...fields, suppressed } : fields);
    },
  };
}
