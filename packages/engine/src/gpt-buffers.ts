// Activation memory of a GPT runner: per-layer caches for the backward pass, the residual stream, LM-head
// buffers and backward scratch, all allocated once through the kernels (so products need no copies).

import type { ModelConfig } from './config.js';
import type { Kernels } from './kernels/types.js';
import type { AttentionCache, AttentionScratch } from './layers/attention.js';
import type { LoraSiteKind } from './lora.js';

/** Activations of one transformer block kept for its backward pass. */
export interface LayerBuffers {
  readonly h1: Float32Array;
  readonly mean1: Float32Array;
  readonly rstd1: Float32Array;
  readonly qkv: Float32Array;
  readonly attn: AttentionCache;
  readonly a: Float32Array;
  readonly xMid: Float32Array;
  readonly h2: Float32Array;
  readonly mean2: Float32Array;
  readonly rstd2: Float32Array;
  readonly pre: Float32Array;
  readonly g: Float32Array;
  /** LoRA intermediate scale·x·Aᵀ per adapted site kind. */
  readonly u: ReadonlyMap<LoraSiteKind, Float32Array>;
}

/** Backward scratch shared by every layer of a training runner. */
export interface BackwardScratch {
  /** Gradient of the residual stream: d(x_out) into a block, d(x_in) out of it. */
  readonly dres: Float32Array;
  readonly dh: Float32Array;
  readonly dqkv: Float32Array;
  readonly dg: Float32Array;
  readonly du: Float32Array;
  readonly attn: AttentionScratch;
}

/** Every buffer a runner uses. */
interface RunnerBuffers {
  /** One per layer when training; a single shared one for forward-only use. */
  readonly layers: readonly LayerBuffers[];
  /** Residual stream: input of each layer, then the input of the final norm. */
  readonly xs: readonly Float32Array[];
  readonly hf: Float32Array;
  readonly meanF: Float32Array;
  readonly rstdF: Float32Array;
  readonly logits: Float32Array;
  /** Head-major attention output. */
  readonly o: Float32Array;
  readonly scratch?: BackwardScratch;
  /** Returns every buffer to the kernels. */
  release(): void;
}

/** Allocates the buffers for batches of up to maxBatch × maxSeqLen tokens. */
export function allocateRunnerBuffers(
  kernels: Kernels,
  config: ModelConfig,
  o: {
    maxBatch: number;
    maxSeqLen: number;
    training: boolean;
    loraKinds: ReadonlySet<LoraSiteKind>;
    rank: number;
  },
): RunnerBuffers {
  const C = config.nEmbd;
  const N = o.maxBatch * o.maxSeqLen;
  const T2 = o.maxBatch * config.nHead * o.maxSeqLen * o.maxSeqLen;
  const owned: Float32Array[] = [];
  const alloc = (n: number): Float32Array => {
    const buf = kernels.alloc(Math.max(1, n));
    owned.push(buf);
    return buf;
  };
  const makeLayer = (): LayerBuffers => ({
    h1: alloc(N * C),
    mean1: alloc(N),
    rstd1: alloc(N),
    qkv: alloc(N * 3 * C),
    attn: { q: alloc(N * C), k: alloc(N * C), v: alloc(N * C), p: alloc(T2) },
    a: alloc(N * C),
    xMid: alloc(N * C),
    h2: alloc(N * C),
    mean2: alloc(N),
    rstd2: alloc(N),
    pre: alloc(N * 4 * C),
    g: alloc(N * 4 * C),
    u: new Map([...o.loraKinds].map((k) => [k, alloc(N * o.rank)])),
  });
  const outO = alloc(N * C);
  return {
    layers: o.training ? Array.from({ length: config.nLayer }, makeLayer) : [makeLayer()],
    xs: Array.from({ length: config.nLayer + 1 }, () => alloc(N * C)),
    hf: alloc(N * C),
    meanF: alloc(N),
    rstdF: alloc(N),
    logits: alloc(N * config.vocabSize),
    o: outO,
    ...(o.training
      ? {
          scratch: {
            dres: alloc(N * C),
            dh: alloc(N * C),
            dqkv: alloc(N * 3 * C),
            dg: alloc(N * 4 * C),
            du: alloc(N * o.rank),
            attn: {
              dO: alloc(N * C),
              dq: alloc(N * C),
              dk: alloc(N * C),
              dv: alloc(N * C),
              dp: alloc(T2),
              o: outO,
            },
          },
        }
      : {}),
    release() {
      if (kernels.free) for (const buf of owned) kernels.free(buf);
      owned.length = 0;
    },
  };
}
