// GPT-2 forward and backward passes as explicit layer calls over preallocated activation buffers.
// Owns the activation memory (allocated through the kernels, freed by release()); holds no weights.
// Loss is taken only on rows whose target is >= 0: those rows alone go through the LM head. The steps
// (blocks, LM head, row selection, LoRA) live in runner/; this module wires them to one set of buffers.

import type { ModelConfig } from './config.js';
import { allocateRunnerBuffers } from './gpt-buffers.js';
import type { Kernels } from './kernels/types.js';
import { embeddingBackward, embeddingForward } from './layers/embedding.js';
import type { LoraAdapter, LoraSite } from './lora.js';
import type { ParamSet } from './params.js';
import { blockBackward } from './runner/block-backward.js';
import { blockForward } from './runner/block-forward.js';
import { headBackward, headForward } from './runner/lm-head.js';
import { batchShape, createRunnerContext } from './runner/runner-context.js';
import { type PassRows, selectTargetRows } from './runner/target-rows.js';

/** A padded batch: `tokens` and `targets` are [batchSize, seqLen]; target -1 means "no loss here". */
export interface Batch {
  readonly tokens: Int32Array;
  readonly targets: Int32Array;
  readonly batchSize: number;
  readonly seqLen: number;
}

/** Sizes a runner is built for, and whether it keeps activations for backward. */
interface RunnerOptions {
  readonly maxBatch: number;
  readonly maxSeqLen: number;
  readonly training: boolean;
  /** LoRA layout the runner must make room for (sites and rank). */
  readonly lora?: { readonly sites: readonly LoraSite[]; readonly r: number };
}

/** Forward/backward executor for one model shape. */
export interface GptRunner {
  /** Runs the forward pass; returns the summed loss (nats) and the number of target rows. */
  forward(
    params: ParamSet,
    batch: Batch,
    adapter?: LoraAdapter | null,
  ): { lossSum: number; targetCount: number };
  /** Per target row (in row order) of the last forward: its loss in nats. */
  readonly rowLoss: Float64Array;
  /** Per target row of the last forward: its row index b·seqLen + t. */
  readonly rowIndex: Int32Array;
  /** Next-token probabilities [targetCount, vocab] of the last forward's target rows (valid until backward). */
  probabilities(): Float32Array;
  /**
   * Backward of `scale · Σ rowLoss` for the last forward. Gradients accumulate into `grads`
   * (null: base frozen) and `adapterGrads` (null: no adapter or adapter frozen).
   */
  backward(grads: ParamSet | null, adapterGrads: ParamSet | null, scale: number): void;
  /** Frees the activation buffers; the runner is unusable afterwards. */
  release(): void;
}

/** Creates a runner for `config` (activation memory is allocated up front from `kernels`). */
export function createGptRunner(kernels: Kernels, config: ModelConfig, options: RunnerOptions): GptRunner {
  const V = config.vocabSize;
  const L = config.nLayer;
  const loraKinds = new Set(options.lora?.sites.map((s) => s.kind) ?? []);
  const ctx = createRunnerContext(kernels, config, options.training, loraKinds);
  const buffers = allocateRunnerBuffers(kernels, config, {
    ...options,
    loraKinds,
    rank: options.lora?.r ?? 0,
  });
  const { layers, xs, logits, o, scratch } = buffers;
  const N = options.maxBatch * options.maxSeqLen;
  const targets = new Int32Array(N);
  const rowLoss = new Float64Array(N);
  const rowIndex = new Int32Array(N);
  let last: { params: ParamSet; batch: Batch; adapter: LoraAdapter | null; pass: PassRows } | undefined;

  return {
    rowLoss,
    rowIndex,
    probabilities: () => logits.subarray(0, (last?.pass.targetRows ?? 0) * V),
    forward(params, batch, adapter = null) {
      const { batchSize: B, seqLen: T } = batch;
      if (B > options.maxBatch || T > options.maxSeqLen || T > config.nPositions) {
        throw new RangeError(`batch ${B}x${T} exceeds runner capacity`);
      }
      const shape = batchShape(config, B, T);
      // When only some rows carry a target, the last block's tail, the final norm and the LM head run on
      // those rows alone: nothing else reaches the loss.
      const pass = selectTargetRows(batch.targets, B * T, rowIndex, targets);
      embeddingForward(
        batch.tokens,
        params.get('wte.weight'),
        params.get('wpe.weight'),
        xs[0]!,
        B,
        T,
        config.nEmbd,
      );
      for (let l = 0; l < L; l++) {
        const buf = layers[options.training ? l : 0]!;
        blockForward(ctx, { params, adapter, layer: l, buf, x: xs[l]!, next: xs[l + 1]!, o, shape, pass });
      }
      const lossSum = headForward(ctx, { params, x: xs[L]!, buffers, targets, rowLoss, pass });
      last = { params, batch, adapter, pass };
      return { lossSum, targetCount: pass.targetRows };
    },
    backward(grads, adapterGrads, scale) {
      if (!scratch || !last) throw new Error('backward needs a training runner and a prior forward');
      const { params, batch, adapter, pass } = last;
      const { batchSize: B, seqLen: T } = batch;
      const shape = batchShape(config, B, T);
      const { dres, dh } = scratch;
      headBackward(ctx, { params, grads, x: xs[L]!, buffers, targets, dh, dres, scale, pass });
      for (let l = L - 1; l >= 0; l--) {
        const buf = layers[l]!;
        blockBackward(ctx, {
          params,
          adapter,
          grads,
          adapterGrads,
          layer: l,
          buf,
          x: xs[l]!,
          scratch,
          shape,
          pass,
        });
      }
      if (grads)
        embeddingBackward(
          batch.tokens,
          dres,
          grads.get('wte.weight'),
          grads.get('wpe.weight'),
          B,
          T,
          config.nEmbd,
        );
    },
    release() {
      buffers.release();
      last = undefined;
    },
  };
}
