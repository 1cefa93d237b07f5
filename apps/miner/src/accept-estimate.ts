// What an offer would give this miner: the time left for training once the base model and train split are
// downloaded, the artifact uploaded and a safety margin kept, and the steps the measured throughput fits in
// it (shared fairly when jobs run at once on too few cores). Pure arithmetic; measuring is self-benchmark.ts's.

import type { JobOffer } from '@tuning-arena/protocol';

/** The assumptions of an estimate (from the configuration). */
export interface EstimateOptions {
  /** Seconds kept free; at least 10 % of the time limit is kept anyway. */
  safetyMarginSeconds: number;
  /** Assumed download and upload speed. */
  transferMbPerSecond: number;
  /** Assumed tokens per train row. */
  rowTokens: number;
  /** Rows per optimizer step (the configured micro_batch_size, else 8). */
  batchSize: number;
  /** The artifact kind expected: a LoRA adapter is a small upload, full weights are the whole model. */
  method: 'lora' | 'full';
  /** CPU cores of this machine, threads per job and jobs already running. */
  cores: number;
  threads: number;
  activeJobs: number;
}

/** An offer's estimate, stored with the decision in the ledger. */
export interface OfferEstimate {
  /** Measured training throughput (tokens/s) for the offered size, before sharing cores. */
  tokensPerSecond: number;
  /** The share of it this job gets with the jobs already running. */
  share: number;
  transferSeconds: number;
  marginSeconds: number;
  trainSeconds: number;
  steps: number;
  epochs: number;
}

/** Fixed time per transfer (connection, hashing, unpacking). */
const TRANSFER_OVERHEAD_SECONDS = 1;

/** Estimates what the offer leaves for training and how many steps fit. */
export function estimateOffer(offer: JobOffer, tokensPerSecond: number, o: EstimateOptions): OfferEstimate {
  const modelBytes = offer.model.parameterCount * 4;
  // A JSONL row carries its text plus field names and quoting.
  const dataBytes = offer.approxDatasetRows * (o.rowTokens + 40);
  const uploadBytes = o.method === 'full' ? modelBytes : modelBytes * 0.1;
  const transferSeconds =
    (modelBytes + dataBytes + uploadBytes) / (o.transferMbPerSecond * 1e6) + 3 * TRANSFER_OVERHEAD_SECONDS;
  const marginSeconds = Math.max(o.safetyMarginSeconds, 0.1 * offer.timeLimitSeconds);
  const trainSeconds = Math.max(0, offer.timeLimitSeconds - transferSeconds - marginSeconds);
  const share = Math.min(1, o.cores / (o.threads * (o.activeJobs + 1)));
  const steps = Math.floor((trainSeconds * tokensPerSecond * share) / (o.batchSize * o.rowTokens));
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    tokensPerSecond: Math.round(tokensPerSecond),
    share: round(share),
    transferSeconds: round(transferSeconds),
    marginSeconds: round(marginSeconds),
    trainSeconds: round(trainSeconds),
    steps,
    epochs: offer.approxDatasetRows > 0 ? round((steps * o.batchSize) / offer.approxDatasetRows) : 0,
  };
}
