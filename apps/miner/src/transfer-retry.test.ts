import { describe, expect, it } from 'vitest';
import { MinerError } from './errors.js';
import { createMemoryLogger } from './logger.js';
import { isTransient, TRANSFER_ATTEMPTS, withRetry } from './transfer-retry.js';

const failure = (
  code: 'download_failed' | 'upload_failed' | 'disconnected' | 'hash_mismatch',
  status?: number,
) => new MinerError(code, 'x', status === undefined ? undefined : { status });
const fast = { initialMs: 1, maxMs: 2, jitter: 0 };

describe('transfer retries', () => {
  it('retries link drops, network errors, stale tokens, timeouts, throttling and 5xx, and nothing else', () => {
    for (const error of [
      failure('disconnected'),
      failure('download_failed'),
      failure('upload_failed', 401),
    ]) {
      expect(isTransient(error)).toBe(true);
    }
    for (const status of [408, 429, 500, 503])
      expect(isTransient(failure('upload_failed', status))).toBe(true);
    for (const error of [
      failure('upload_failed', 400),
      failure('upload_failed', 413),
      failure('hash_mismatch'),
      new Error('x'),
    ]) {
      expect(isTransient(error)).toBe(false);
    }
  });

  it('tries a transient failure again, logging each retry, and gives up after the last attempt', async () => {
    const { logger, entries } = createMemoryLogger();
    let calls = 0;
    const ok = await withRetry(
      new AbortController().signal,
      'upload',
      async () => {
        calls += 1;
        if (calls < 3) throw failure('upload_failed', 503);
        return 'done';
      },
      logger,
      fast,
    );
    expect([ok, calls]).toEqual(['done', 3]);
    expect(entries.filter((e) => e.event === 'transfer.retrying')).toHaveLength(2);
    calls = 0;
    const always = withRetry(
      new AbortController().signal,
      'upload',
      async () => {
        calls += 1;
        throw failure('disconnected');
      },
      logger,
      fast,
    );
    await expect(always).rejects.toMatchObject({ code: 'disconnected' });
    expect(calls).toBe(TRANSFER_ATTEMPTS);
  });

  it('fails at once on a refusal and ends as aborted when the job is cancelled', async () => {
    const { logger } = createMemoryLogger();
    let calls = 0;
    await expect(
      withRetry(
        new AbortController().signal,
        'upload',
        async () => {
          calls += 1;
          throw failure('upload_failed', 400);
        },
        logger,
        fast,
      ),
    ).rejects.toMatchObject({ code: 'upload_failed' });
    expect(calls).toBe(1);
    const controller = new AbortController();
    controller.abort();
    await expect(
      withRetry(
        controller.signal,
        'upload',
        async () => {
          throw failure('upload_failed', 503);
        },
        logger,
        fast,
      ),
    ).rejects.toMatchObject({ code: 'aborted' });
  });
});
