// The fixed plan of a training run, resolved from its options and data before anything is allocated:
// encoded and split sequences, batch sizes, step budget, warm-up, peak rate and the deadline margin.
// Pure apart from tokenizing; it validates options and data (EngineError 'invalid_input') but runs nothing.

import type { Dataset, Sequence } from '../data.js';
import { encodeDataset } from '../data.js';
import { EngineError } from '../errors.js';
import { checkTokens } from '../evaluate.js';
import type { GptModel } from '../model.js';
import { BYTE_TOKENIZER } from '../tokenizer.js';
import { autoMicroBatch, checkOptions, splitValidation, type TrainOptions } from './train-options.js';

/** Everything about a run that is known before its first step. */
export interface RunPlan {
  readonly seed: number;
  readonly lora: boolean;
  readonly trainSeqs: readonly Sequence[];
  readonly validSeqs: readonly Sequence[];
  readonly hasValid: boolean;
  /** Sequences per optimiser step (at most the number of training sequences). */
  readonly batchSize: number;
  /** Sequences per forward/backward pass. */
  readonly micro: number;
  /** Longest sequence of either set: the runner's and the batch builder's length. */
  readonly longest: number;
  /** Upper bound on steps from maxSteps or epochs; Infinity when only a deadline bounds the run. */
  readonly maxSteps: number;
  readonly warmup: number;
  readonly peak: number;
  /** Time kept free before the deadline (ms). */
  readonly marginMs: number;
}

/** Resolves the plan of training `base` on `data` with `o`, started at `started` on the run's clock. */
export function resolveRunPlan(base: GptModel, data: Dataset, o: TrainOptions, started: number): RunPlan {
  const tok = o.tokenizer ?? BYTE_TOKENIZER;
  const seed = o.seed ?? 0;
  const cfg = base.config;
  const maxLen = cfg.nPositions;
  const lora = o.method === 'lora';
  const all = encodeDataset(tok, data, maxLen);
  checkTokens(all, cfg.vocabSize);
  const split = splitValidation(all, data, o, seed);
  const trainSeqs = split.train;
  const validSeqs = o.validation ? encodeDataset(tok, o.validation, maxLen) : split.valid!;
  checkTokens(validSeqs, cfg.vocabSize);
  if (trainSeqs.length === 0) throw new EngineError('invalid_input', 'no training examples');
  checkOptions(o);
  const batchSize = Math.min(o.batchSize ?? 8, trainSeqs.length);
  const maxSteps = stepBudget(o, Math.ceil(trainSeqs.length / batchSize));
  const longest = [...trainSeqs, ...validSeqs].reduce((n, s) => Math.max(n, s.tokens.length), 1);
  return {
    seed,
    lora,
    trainSeqs,
    validSeqs,
    hasValid: validSeqs.length > 0,
    batchSize,
    micro: Math.min(batchSize, o.microBatchSize ?? autoMicroBatch(cfg, longest)),
    longest,
    maxSteps,
    warmup: o.warmupSteps ?? (Number.isFinite(maxSteps) ? Math.min(100, Math.round(0.05 * maxSteps)) : 20),
    peak: o.learningRate ?? (lora ? 2e-3 : 5e-4),
    marginMs:
      o.safetyMarginMs ?? (o.deadline === undefined ? 0 : Math.max(500, 0.05 * (o.deadline - started))),
  };
}

/** maxSteps, else epochs × steps per epoch, else one epoch, or no bound when a deadline is given. */
function stepBudget(o: TrainOptions, stepsPerEpoch: number): number {
  if (o.maxSteps !== undefined) return o.maxSteps;
  if (o.epochs !== undefined) return Math.ceil(o.epochs * stepsPerEpoch);
  return o.deadline === undefined ? stepsPerEpoch : Infinity;
}
