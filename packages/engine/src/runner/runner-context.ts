// What every step of a GPT runner shares: the kernels (with their fused passes), the model shape, whether
// activations are kept for backward, and the LoRA helpers. Holds no buffers and no weights.

import type { ModelConfig } from '../config.js';
import type { LayerBuffers } from '../gpt-buffers.js';
import { fusedKernels } from '../kernels/fused-kernels.js';
import type { FusedKernels, Kernels } from '../kernels/types.js';
import type { LoraAdapter, LoraSiteKind } from '../lora.js';
import type { ParamSet } from '../params.js';
import { createLoraSites, type LoraSites } from './lora-sites.js';
import type { PassRows } from './target-rows.js';

/** The fixed inputs of a runner's forward and backward steps. */
export interface RunnerContext {
  readonly kernels: Kernels;
  /** Element-wise passes: the backend's fused kernels (WASM SIMD), or their reference versions. */
  readonly fused: FusedKernels;
  readonly config: ModelConfig;
  /** Whether activations are kept per layer for backward (and gelu' is saved in the MLP). */
  readonly training: boolean;
  readonly lora: LoraSites;
}

/** The shape of one attention call for a batch of `batch` × `seqLen` tokens. */
export interface BatchShape {
  readonly batch: number;
  readonly seqLen: number;
  readonly nEmbd: number;
  readonly nHead: number;
}

/** What both passes of one block read: its weights, adapter, buffers, input and rows. */
export interface BlockInput {
  readonly params: ParamSet;
  readonly adapter: LoraAdapter | null;
  readonly layer: number;
  readonly buf: LayerBuffers;
  /** Residual stream into the block [rows, C]. */
  readonly x: Float32Array;
  readonly shape: BatchShape;
  readonly pass: PassRows;
}

/** Creates the context of a runner whose buffers make room for the LoRA site kinds `loraKinds`. */
export function createRunnerContext(
  kernels: Kernels,
  config: ModelConfig,
  training: boolean,
  loraKinds: ReadonlySet<LoraSiteKind>,
): RunnerContext {
  return {
    kernels,
    fused: fusedKernels(kernels),
    config,
    training,
    lora: createLoraSites(kernels, loraKinds),
  };
}

/** The attention shape of a `batch` × `seqLen` batch under `config`. */
export function batchShape(config: ModelConfig, batch: number, seqLen: number): BatchShape {
  return { batch, seqLen, nEmbd: config.nEmbd, nHead: config.nHead };
}
