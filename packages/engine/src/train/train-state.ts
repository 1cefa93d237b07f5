// The working memory of a training run: kernel-memory copies of the base weights (and of the adapter for
// LoRA), the gradients, the runner, the optimiser and the batch builder, plus plain-memory snapshots of the
// trainable weights. It never changes the caller's model or initial adapter; release() frees it all.

import { createBatchBuilder } from '../data.js';
import { createGptRunner, type GptRunner } from '../gpt-runner.js';
import type { Kernels } from '../kernels/types.js';
import { adapterFromWeights, createLoraAdapter, DEFAULT_LORA_CONFIG, type LoraAdapter } from '../lora.js';
import { type GptModel, modelFromWeights } from '../model.js';
import { createParamSet, type ParamSet } from '../params.js';
import { type AdamW, createAdamW } from './adamw.js';
import type { RunPlan } from './run-plan.js';
import type { TrainOptions } from './train-options.js';

/** Everything a run's steps read and write. */
export interface TrainState {
  /** Working copy of the base weights (the trained weights of a full fine-tune). */
  readonly baseParams: ParamSet;
  /** Working copy of the adapter (LoRA), else null. */
  readonly adapter: LoraAdapter | null;
  /** What the optimiser updates: the adapter's weights for LoRA, else the base copy. */
  readonly trainable: ParamSet;
  /** Gradients laid out like `trainable`. */
  readonly grads: ParamSet;
  readonly runner: GptRunner;
  readonly optimizer: AdamW;
  readonly builder: ReturnType<typeof createBatchBuilder>;
  /** Plain-memory copies of the trainable weights: the trained model, or the untouched base and the adapter. */
  snapshot(): { model: GptModel; adapter?: LoraAdapter };
  /** Frees the runner, the optimiser and every kernel buffer above. */
  release(): void;
}

/** Allocates the state of training `base` by `plan` (LoRA from `o.initialAdapter` or a fresh seeded adapter). */
export function createTrainState(
  kernels: Kernels,
  base: GptModel,
  o: TrainOptions,
  plan: RunPlan,
): TrainState {
  const cfg = base.config;
  // Working copies live in kernel memory so the products need no copies.
  const baseParams = createParamSet(base.params.specs, kernels.alloc(base.params.data.length));
  baseParams.data.set(base.params.data);
  const start = plan.lora
    ? (o.initialAdapter ?? createLoraAdapter(cfg, o.lora ?? DEFAULT_LORA_CONFIG, plan.seed))
    : undefined;
  const adapter = start
    ? adapterFromWeights(cfg, start.config, kernels.alloc(start.params.data.length))
    : null;
  if (adapter && start) adapter.params.data.set(start.params.data);
  const trainable = adapter ? adapter.params : baseParams;
  const grads = createParamSet(trainable.specs, kernels.alloc(trainable.data.length));
  const runner = createGptRunner(kernels, cfg, {
    maxBatch: plan.micro,
    maxSeqLen: plan.longest,
    training: true,
    ...(adapter ? { lora: { sites: adapter.sites, r: adapter.config.r } } : {}),
  });
  const optimizer = createAdamW(trainable, {
    kernels,
    weightDecay: o.weightDecay ?? (plan.lora ? 0 : 0.01),
    ...(o.beta1 === undefined ? {} : { beta1: o.beta1 }),
    ...(o.beta2 === undefined ? {} : { beta2: o.beta2 }),
  });
  return {
    baseParams,
    adapter,
    trainable,
    grads,
    runner,
    optimizer,
    builder: createBatchBuilder(plan.micro, plan.longest, cfg.padTokenId),
    // Kernel buffers are reused and freed, so snapshots copy into plain memory.
    snapshot: () =>
      adapter && start
        ? { model: base, adapter: adapterFromWeights(cfg, start.config, adapter.params.data.slice()) }
        : { model: modelFromWeights(cfg, baseParams.data.slice()) },
    release() {
      runner.release();
      optimizer.release();
      if (kernels.free) {
        for (const buf of [baseParams.data, grads.data, adapter?.params.data]) if (buf) kernels.free(buf);
      }
    },
  };
}
