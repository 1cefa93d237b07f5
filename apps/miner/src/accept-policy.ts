// The accept policy port: given an offer and the miner's current load, take the job or decline it with
// a reason the operator can read. The default policy checks only free slots and the time limit.

import type { JobOffer } from '@tuning-arena/protocol';

/** What the policy sees of the miner when it decides. */
interface MinerState {
  /** Jobs the miner can hold at once (announced in `hello`). */
  capacity: number;
  /** Jobs accepted and not yet finished. */
  activeJobIds: string[];
  /** The current time. */
  now: Date;
}

/** The policy's answer: take it, or decline with a reason. */
export type Decision = { accept: true } | { accept: false; reason: string };

/** Decides on an offer; may be async (for example to ask an operator or look at the GPU). */
export type AcceptPolicy = (offer: JobOffer, state: MinerState) => Decision | Promise<Decision>;

/** Options of the default policy. */
interface DefaultPolicyOptions {
  /** Decline offers whose time limit is shorter than this many seconds. */
  minTimeLimitSeconds: number;
}

/** The default policy: accept when a slot is free and the time limit is at least the configured minimum. */
export function createDefaultAcceptPolicy(options: DefaultPolicyOptions): AcceptPolicy {
  return (offer, state) => {
    if (state.activeJobIds.length >= state.capacity) {
      return { accept: false, reason: `no free slot (${state.activeJobIds.length}/${state.capacity} busy)` };
    }
    if (offer.timeLimitSeconds < options.minTimeLimitSeconds) {
      return {
        accept: false,
        reason: `time limit ${offer.timeLimitSeconds}s is below this miner's minimum of ${options.minTimeLimitSeconds}s`,
      };
    }
    if (Date.parse(offer.offerExpiresAt) <= state.now.getTime()) {
      return { accept: false, reason: 'offer already expired when it arrived' };
    }
    return { accept: true };
  };
}
