// Matches the validator's answers to this miner's `job.submit` frames: a `submit.ack`, or an error frame
// naming the job. One outstanding commit per job; a dropped link fails every outstanding commit so the
// job runner can send it again on the next session.

import type { ErrorCode, SubmitAck } from '@tuning-arena/protocol';
import { MinerError } from './errors.js';

interface Waiter {
  resolve(ack: SubmitAck): void;
  reject(error: MinerError): void;
}

/** Codes with which the validator refuses a commit (they do not close the connection). */
export const SUBMIT_REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'unknown_job',
  'not_accepted',
  'deadline_passed',
  'bad_signature',
  'commit_limit',
]);

/** Creates the registry of outstanding commits. */
export function createSubmitAcks() {
  const waiters = new Map<string, Waiter>();
  const settle = (jobId: string) => {
    const waiter = waiters.get(jobId);
    waiters.delete(jobId);
    return waiter;
  };
  return {
    /** Waits for the answer to the commit of `jobId`; rejects on refusal, timeout, abort or disconnect. */
    wait(jobId: string, timeoutMs: number, signal: AbortSignal): Promise<SubmitAck> {
      settle(jobId)?.reject(new MinerError('disconnected', 'superseded by a newer commit'));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          settle(jobId)?.reject(new MinerError('disconnected', 'no answer to job.submit in time'));
        }, timeoutMs);
        const onAbort = () => settle(jobId)?.reject(new MinerError('aborted', 'job aborted', signal.reason));
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        };
        waiters.set(jobId, {
          resolve: (ack) => {
            done();
            resolve(ack);
          },
          reject: (error) => {
            done();
            reject(error);
          },
        });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    /** Delivers a `submit.ack`; returns false when no commit of that job was outstanding. */
    acknowledge(ack: SubmitAck): boolean {
      const waiter = settle(ack.jobId);
      waiter?.resolve(ack);
      return waiter !== undefined;
    },
    /**
     * Delivers a refusal; `jobId` may be undefined when the error frame names no job, in which case it
     * goes to the only outstanding commit, if there is exactly one. Returns whether a commit took it.
     */
    refuse(jobId: string | undefined, code: ErrorCode | 'disconnected', message: string): boolean {
      const target = jobId ?? (waiters.size === 1 ? [...waiters.keys()][0] : undefined);
      if (target === undefined) return false;
      const waiter = settle(target);
      waiter?.reject(new MinerError(code, `validator refused the commit: ${message}`, { code }));
      return waiter !== undefined;
    },
    /** Whether a commit of `jobId` is outstanding. */
    pending(jobId: string): boolean {
      return waiters.has(jobId);
    },
    /** Fails every outstanding commit because the link dropped. */
    disconnectAll(): void {
      for (const jobId of [...waiters.keys()]) {
        settle(jobId)?.reject(new MinerError('disconnected', 'link dropped before the commit was answered'));
      }
    },
  };
}

/** The registry of outstanding commits. */
export type SubmitAcks = ReturnType<typeof createSubmitAcks>;
