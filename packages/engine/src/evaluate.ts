// Evaluation: mean cross-entropy (nats per answer token) over a dataset, plus per-example losses.
// Works on a base model, a full fine-tune, or a base plus LoRA adapter; never changes the weights.

import { createBatchBuilder, type Dataset, encodeDataset, type Sequence } from './data.js';
import { defaultKernels } from './default-kernels.js';
import { EngineError } from './errors.js';
import { createGptRunner, type GptRunner } from './gpt-runner.js';
import type { Kernels } from './kernels/types.js';
import { adapterFromWeights, type LoraAdapter } from './lora.js';
import type { GptModel } from './model.js';
import { createParamSet, type ParamSet } from './params.js';
import { BYTE_TOKENIZER, type Tokenizer } from './tokenizer.js';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** LoRA adapter applied on top of the model. */
  readonly adapter?: LoraAdapter | null;
  /** Sequences per forward pass (default 8). */
  readonly batchSize?: number;
  readonly kernels?: Kernels;
  readonly tokenizer?: Tokenizer;
}

/** Losses of a model on a dataset. */
export interface EvaluationResult {
  /** Mean cross-entropy in nats per answer token over the whole dataset (token-weighted). */
  readonly meanLoss: number;
  /** Number of answer tokens scored. */
  readonly tokenCount: number;
  /** Per example (or plain-text chunk): mean nats per answer token (NaN when it has none). */
  readonly exampleLosses: number[];
  /** Per example: number of answer tokens scored. */
  readonly exampleTokenCounts: number[];
}

/** Scores `seqs` with an existing runner (shared by `evaluate` and the trainer's validation). */
export function evaluateSequences(
  runner: GptRunner,
  params: ParamSet,
  adapter: LoraAdapter | null,
  seqs: readonly Sequence[],
  batchSize: number,
  maxLen: number,
  padId: number,
): EvaluationResult {
  const builder = createBatchBuilder(batchSize, maxLen, padId);
  const nExamples = seqs.reduce((n, s) => Math.max(n, s.example + 1), 0);
  const sums = new Float64Array(nExamples);
  const counts = new Array<number>(nExamples).fill(0);
  // Longest first, so batches hold sequences of similar length and little padding.
  const order = seqs.map((_, i) => i).sort((a, b) => seqs[b]!.tokens.length - seqs[a]!.tokens.length);
  let total = 0;
  let tokens = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const batch = builder.build(seqs, indices);
    const { lossSum, targetCount } = runner.forward(params, batch, adapter);
    total += lossSum;
    tokens += targetCount;
    for (let q = 0; q < targetCount; q++) {
      const seq = seqs[indices[Math.floor(runner.rowIndex[q]! / batch.seqLen)]!]!;
      sums[seq.example]! += runner.rowLoss[q]!;
      counts[seq.example]!++;
    }
  }
  return {
    meanLoss: tokens > 0 ? total / tokens : Number.NaN,
    tokenCount: tokens,
    exampleLosses: Array.from(sums, (s, i) => (counts[i]! > 0 ? s / counts[i]! : Number.NaN)),
    exampleTokenCounts: counts,
  };
}

/** Mean and per-example cross-entropy of `model` (plus optional adapter) on `data`. */
export function evaluate(model: GptModel, data: Dataset, options: EvaluateOptions = {}): EvaluationResult {
  const kernels = options.kernels ?? defaultKernels();
  const tok = options.tokenizer ?? BYTE_TOKENIZER;
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new EngineError('invalid_input', 'batchSize must be >= 1');
  const adapter = options.adapter ?? null;
  const maxLen = model.config.nPositions;
  const seqs = encodeDataset(tok, data, maxLen);
  if (seqs.length === 0) throw new EngineError('invalid_input', 'empty evaluation dataset');
  checkTokens(seqs, model.config.vocabSize);
  const longest = seqs.reduce((n, s) => Math.max(n, s.tokens.length), 1);
  const runner = createGptRunner(kernels, model.config, {
    maxBatch: Math.min(batchSize, seqs.length),
    maxSeqLen: longest,
    training: false,
    ...(adapter ? { lora: { sites: adapter.sites, r: adapter.config.r } } : {}),
  });
  // Weights go into kernel memory once, so no product has to copy them in.
  const params = createParamSet(model.params.specs, kernels.alloc(model.params.data.length));
  params.data.set(model.params.data);
  const lora = adapter
    ? adapterFromWeights(model.config, adapter.config, kernels.alloc(adapter.params.data.length))
    : null;
  if (lora && adapter) lora.params.data.set(adapter.params.data);
  try {
    return evaluateSequences(
      runner,
      params,
      lora,
      seqs,
      Math.min(batchSize, seqs.length),
      longest,
      model.config.padTokenId,
    );
  } finally {
    runner.release();
    kernels.free?.(params.data);
    if (lora) kernels.free?.(lora.params.data);
  }
}

/** Throws EngineError('invalid_input') when a token id is outside the model's vocabulary. */
export function checkTokens(seqs: readonly Sequence[], vocabSize: number): void {
  for (const s of seqs) {
    for (let i = 0; i < s.tokens.length; i++) {
      if (s.tokens[i]! >= vocabSize || s.targets[i]! >= vocabSize) {
        throw new EngineError('invalid_input', `token id outside the model vocabulary of ${vocabSize}`);
      }
    }
  }
}
