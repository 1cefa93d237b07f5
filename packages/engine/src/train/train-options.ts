// Options, progress reports and results of a training run, plus their validation and derived defaults.
// Types only and pure helpers; the loop that uses them is trainer.ts.

import type { ModelConfig } from '../config.js';
import { type Dataset, isPlainText, type Sequence } from '../data.js';
import { EngineError } from '../errors.js';
import type { Kernels } from '../kernels/types.js';
import type { LoraAdapter, LoraConfig } from '../lora.js';
import type { GptModel } from '../model.js';
import { createRng, deriveSeed } from '../rng.js';
import type { Tokenizer } from '../tokenizer.js';

/** Options of `train`; every field has a default. */
export interface TrainOptions {
  /** 'full' trains every weight; 'lora' trains an adapter over a frozen base (default 'full'). */
  readonly method?: 'full' | 'lora';
  /** LoRA settings for method 'lora' (default r 8, alpha 16, c_attn/c_proj/c_fc). */
  readonly lora?: LoraConfig;
  /** Adapter to continue training (method 'lora'); it is not modified. */
  readonly initialAdapter?: LoraAdapter;
  /** Validation data; when absent, `validationFraction` of the examples is held out. */
  readonly validation?: Dataset;
  /** Fraction held out for validation when `validation` is absent (default 0.1 with >= 20 examples, else 0). */
  readonly validationFraction?: number;
  readonly batchSize?: number;
  /** Batch sequences of similar length together (seeded, within groups of 16 batches; default true). */
  readonly groupByLength?: boolean;
  /**
   * Sequences per forward/backward pass; gradients of a batch's micro-batches are summed before the update
   * (same result as one pass). Default: as many as fit about 256 MB of activations.
   */
  readonly microBatchSize?: number;
  /** Peak learning rate (default 5e-4 full, 2e-3 LoRA). */
  readonly learningRate?: number;
  /** Warm-up steps (default 5 % of the planned steps, at most 100; 20 when only a deadline bounds training). */
  readonly warmupSteps?: number;
  /** Final learning rate as a fraction of the peak (default 0.1). */
  readonly minLrRatio?: number;
  readonly weightDecay?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  /** Global gradient-norm clip (default 1; Infinity disables). */
  readonly gradClip?: number;
  /** Passes over the data (default 1 when neither maxSteps nor deadline is given). */
  readonly epochs?: number;
  readonly maxSteps?: number;
  /** Absolute deadline in ms on the `now` clock (Date.now by default); training ends before it. */
  readonly deadline?: number;
  /** Time kept free before the deadline (default max(1 s, 5 % of the time left at start)). */
  readonly safetyMarginMs?: number;
  /** Steps between validation passes (default: about 10 passes per run, 50 when only a deadline bounds it). */
  readonly evalEvery?: number;
  readonly seed?: number;
  readonly kernels?: Kernels;
  readonly tokenizer?: Tokenizer;
  readonly onProgress?: (progress: TrainProgress) => void;
  /**
   * Called with a copy of the weights each time validation finds a new best (after step 0), so a caller
   * can save or submit an early result. Runs synchronously between steps: hand slow work off.
   */
  readonly onCheckpoint?: (checkpoint: TrainCheckpoint) => void;
  readonly signal?: AbortSignal;
  /** Clock in ms (default Date.now); injectable for tests. */
  readonly now?: () => number;
}

/** A progress report, sent after every step. */
export interface TrainProgress {
  readonly step: number;
  readonly plannedSteps: number;
  readonly epoch: number;
  /** Mean loss (nats per answer token) of this step's batch. */
  readonly loss: number;
  readonly learningRate: number;
  readonly gradNorm: number;
  /** Input tokens per second over the run so far (excluding the first step). */
  readonly tokensPerSecond: number;
  readonly elapsedMs: number;
  /** Estimated time to the last planned step (ms). */
  readonly etaMs: number;
  /** Set on steps that ran a validation pass (undefined on the others). */
  readonly validationLoss?: number | undefined;
}

/** A new best set of weights found during training. */
export interface TrainCheckpoint {
  readonly step: number;
  readonly validationLoss: number;
  /** Full fine-tune: the weights at this step. LoRA: the untouched base. */
  readonly model: GptModel;
  /** LoRA: the adapter at this step. */
  readonly adapter?: LoraAdapter;
}

/** Outcome of a training run. */
export interface TrainResult {
  /** Full fine-tune: the trained model (best checkpoint). LoRA: the untouched base. */
  readonly model: GptModel;
  /** LoRA: the trained adapter (best checkpoint). */
  readonly adapter?: LoraAdapter;
  readonly steps: number;
  readonly stoppedBy: 'completed' | 'deadline';
  readonly bestValidationLoss?: number;
  /** Step whose weights were kept (the best by validation loss, else the last). */
  readonly keptStep: number;
  readonly finalTrainLoss: number;
  /** Steps whose gradients were not finite and were therefore not applied. */
  readonly skippedSteps: number;
  readonly tokensPerSecond: number;
  readonly history: readonly { step: number; loss: number; validationLoss?: number | undefined }[];
}

/** Throws EngineError('invalid_input') listing every invalid option. */
export function checkOptions(o: TrainOptions): void {
  const bad: string[] = [];
  const positiveInt = (v: number | undefined, name: string) => {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) bad.push(`${name} must be an integer >= 1`);
  };
  positiveInt(o.batchSize, 'batchSize');
  positiveInt(o.microBatchSize, 'microBatchSize');
  positiveInt(o.evalEvery, 'evalEvery');
  if (o.maxSteps !== undefined && (!Number.isInteger(o.maxSteps) || o.maxSteps < 0))
    bad.push('maxSteps must be >= 0');
  if (o.epochs !== undefined && !(o.epochs > 0)) bad.push('epochs must be > 0');
  if (o.learningRate !== undefined && !(o.learningRate > 0)) bad.push('learningRate must be > 0');
  if (o.warmupSteps !== undefined && !(o.warmupSteps >= 0)) bad.push('warmupSteps must be >= 0');
  if (o.gradClip !== undefined && !(o.gradClip > 0)) bad.push('gradClip must be > 0');
  if (o.validationFraction !== undefined && !(o.validationFraction >= 0 && o.validationFraction < 1)) {
    bad.push('validationFraction must be in [0, 1)');
  }
  if (o.deadline !== undefined && !Number.isFinite(o.deadline))
    bad.push('deadline must be a finite time in ms');
  if (o.method !== undefined && o.method !== 'full' && o.method !== 'lora')
    bad.push(`unknown method ${o.method}`);
  if (bad.length > 0) throw new EngineError('invalid_input', bad.join('; '));
}

/** Sequences per pass whose cached activations fit about 256 MB (float32). */
export function autoMicroBatch(c: ModelConfig, seqLen: number): number {
  const perLayer = seqLen * c.nEmbd * 19 + c.nHead * seqLen * seqLen;
  const perSeq = c.nLayer * perLayer + seqLen * (c.nEmbd * 8 + c.vocabSize);
  return Math.max(1, Math.floor(64_000_000 / perSeq));
}

/** Train and validation sequences: `validation` given, or a seeded hold-out of the examples. */
export function splitValidation(seqs: Sequence[], data: Dataset, o: TrainOptions, seed: number) {
  if (o.validation) return { train: seqs, valid: undefined };
  const fraction = o.validationFraction ?? (!isPlainText(data) && seqs.length >= 20 ? 0.1 : 0);
  const nValid = Math.floor(seqs.length * fraction);
  if (nValid === 0 || nValid >= seqs.length) return { train: seqs, valid: [] as Sequence[] };
  const order = createRng(deriveSeed(seed, 'split')).shuffle(seqs.map((_, i) => i));
  const valid = order.slice(0, nValid).map((i) => seqs[i]!);
  return { train: order.slice(nValid).map((i) => seqs[i]!), valid };
}
