// When and how a job's transfers (downloads, commits, uploads) are retried: transient failures (the link
// dropped, no HTTP answer, a stale token, a timeout, throttling, a 5xx) are tried again with a jittered
// backoff, up to a fixed number of attempts; anything else (a refusal, a bad hash) fails at once.

import { setTimeout as sleep } from 'node:timers/promises';
import { type BackoffOptions, createBackoff } from './backoff.js';
import { isMinerError, MinerError } from './errors.js';
import type { Logger } from './logger.js';

/** Attempts before a transient failure is given up on. */
export const TRANSFER_ATTEMPTS = 6;
/** Delays between transfer retries: 400 ms doubling to 5 s, jittered like reconnects. */
const TRANSFER_BACKOFF: BackoffOptions = { initialMs: 400, maxMs: 5000, jitter: 0.25 };

/** Whether a transfer failure may succeed when tried again. */
export function isTransient(error: unknown): boolean {
  if (isMinerError(error, 'disconnected')) return true;
  if (!isMinerError(error, 'download_failed') && !isMinerError(error, 'upload_failed')) return false;
  const status = (error.cause as { status?: number } | undefined)?.status ?? 0;
  return status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;
}

/** Runs `attempt`, retrying transient failures; an abort ends it with MinerError `aborted`. */
export async function withRetry<T>(
  signal: AbortSignal,
  what: string,
  attempt: () => Promise<T>,
  log: Logger,
  backoff: BackoffOptions = TRANSFER_BACKOFF,
): Promise<T> {
  const delays = createBackoff(backoff);
  for (let n = 1; ; n += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted) throw new MinerError('aborted', 'job aborted', signal.reason);
      if (!isTransient(error) || n >= TRANSFER_ATTEMPTS) throw error;
      log.warn('transfer.retrying', {
        what,
        attempt: n,
        code: isMinerError(error) ? error.code : 'internal_error',
      });
      await sleep(delays.next(), undefined, { signal }).catch(() => {});
    }
  }
}
