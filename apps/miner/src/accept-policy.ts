// The accept policy port: given an offer and the miner's current load, take the job or decline it with a
// reason the operator can read. The default policy checks free slots, the time limit and expiry, and, when
// given a throughput source (the self-benchmark), whether the training time left after transfers and a
// margin fits enough steps to do the job well. It measures nothing itself.

import type { JobOffer } from '@tuning-arena/protocol';
import { type EstimateOptions, estimateOffer, type OfferEstimate } from './accept-estimate.js';

/** What the policy sees of the miner when it decides. */
interface MinerState {
  /** Jobs the miner can hold at once (announced in `hello`). */
  capacity: number;
  /** Jobs accepted and not yet finished. */
  activeJobIds: string[];
  /** The current time. */
  now: Date;
}

/** The policy's answer: take it, or decline with a reason; either may carry the estimate it rests on. */
export type Decision =
  | { accept: true; estimate?: OfferEstimate }
  | { accept: false; reason: string; estimate?: OfferEstimate };

/** Decides on an offer; may be async (for example to ask an operator or look at the GPU). */
export type AcceptPolicy = (offer: JobOffer, state: MinerState) => Decision | Promise<Decision>;

/** Where the policy gets training throughput (tokens/s) for an offer; undefined: no estimate possible. */
export type ThroughputSource = (offer: JobOffer) => Promise<number | undefined>;

/** Options of the default policy. */
interface DefaultPolicyOptions {
  /** Decline offers whose time limit is shorter than this many seconds. */
  minTimeLimitSeconds: number;
  /** Measured throughput; without it the policy does not estimate. */
  throughput?: ThroughputSource;
  /** Decline offers whose estimated steps fall below this (0: never for that reason). */
  minSteps?: number;
  /** The estimate's assumptions, less the live load (filled from the state). */
  estimate?: Omit<EstimateOptions, 'activeJobs'>;
}

/** The default policy: a free slot, a long enough time limit, an unexpired offer, and enough steps. */
export function createDefaultAcceptPolicy(options: DefaultPolicyOptions): AcceptPolicy {
  return async (offer, state) => {
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
    if (!options.throughput || !options.estimate) return { accept: true };
    const tokensPerSecond = await options.throughput(offer);
    if (tokensPerSecond === undefined) return { accept: true };
    const estimate = estimateOffer(offer, tokensPerSecond, {
      ...options.estimate,
      activeJobs: state.activeJobIds.length,
    });
    const minSteps = options.minSteps ?? 0;
    if (estimate.trainSeconds <= 0) {
      return {
        accept: false,
        estimate,
        reason:
          `no training time: ${offer.timeLimitSeconds}s minus ~${estimate.transferSeconds}s of transfers ` +
          `and a ${estimate.marginSeconds}s safety margin`,
      };
    }
    if (estimate.steps < minSteps) {
      return {
        accept: false,
        estimate,
        reason:
          `estimated ${estimate.steps} steps in ${estimate.trainSeconds}s of training ` +
          `(${estimate.tokensPerSecond} tokens/s measured for ${offer.model.parameterCount} parameters` +
          `${estimate.share < 1 ? `, ${Math.round(estimate.share * 100)} % of it with ${state.activeJobIds.length} job(s) running` : ''}), ` +
          `below this miner's minimum of ${minSteps}`,
      };
    }
    return { accept: true, estimate };
  };
}
