// GPT-2 forward and backward passes as explicit layer calls over preallocated activation buffers.
// Owns the activation memory (allocated through the kernels, freed by release()); holds no weights.
// Loss is taken only on rows whose target is >= 0: those rows alone go through the LM head.

import type { ModelConfig } from './config.js';
import { allocateRunnerBuffers, type LayerBuffers } from './gpt-buffers.js';
import { fusedKernels } from './kernels/fused-kernels.js';
import type { Kernels } from './kernels/types.js';
import { attentionBackward, attentionForward } from './layers/attention.js';
import { softmaxCrossEntropyBackward } from './layers/cross-entropy.js';
import { embeddingBackward, embeddingForward } from './layers/embedding.js';
import { linearBackward } from './layers/linear.js';
import { type LoraWeights, loraLinearBackward, loraLinearForward } from './layers/lora-linear.js';
import type { LoraAdapter, LoraSite, LoraSiteKind } from './lora.js';
import type { ParamSet } from './params.js';

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
  // Element-wise passes run in the backend's fused kernels (WASM SIMD), or their reference versions.
  const fused = fusedKernels(kernels);
  const C = config.nEmbd;
  const H = config.nHead;
  const V = config.vocabSize;
  const L = config.nLayer;
  const loraKinds = new Set(options.lora?.sites.map((s) => s.kind) ?? []);
  const buffers = allocateRunnerBuffers(kernels, config, {
    ...options,
    loraKinds,
    rank: options.lora?.r ?? 0,
  });
  const { layers, xs, hf, meanF, rstdF, logits, o, scratch } = buffers;
  const N = options.maxBatch * options.maxSeqLen;
  const targetsC = new Int32Array(N);
  const rowLoss = new Float64Array(N);
  const rowIndex = new Int32Array(N);

  let last:
    | {
        params: ParamSet;
        batch: Batch;
        adapter: LoraAdapter | null;
        rows: number;
        R: number;
        compact: boolean;
      }
    | undefined;

  // The adapter tensors of a site, or null when the site is not adapted.
  const site = (adapter: LoraAdapter | null, layer: number, kind: LoraSiteKind): LoraWeights | null => {
    if (!adapter || !loraKinds.has(kind)) return null;
    const name = `h.${layer}.${kind}.lora_`;
    if (!adapter.params.has(`${name}A.weight`)) return null;
    const { r: rank } = adapter.config;
    return {
      A: adapter.params.get(`${name}A.weight`),
      B: adapter.params.get(`${name}B.weight`),
      rank,
      scale: adapter.scale,
    };
  };
  const loraForward = (
    adapter: LoraAdapter | null,
    buf: LayerBuffers,
    layer: number,
    kind: LoraSiteKind,
    x: Float32Array,
    y: Float32Array,
    rows: number,
    nIn: number,
    nOut: number,
  ): void => {
    const w = site(adapter, layer, kind);
    if (w) loraLinearForward(kernels, w, x, y, buf.u.get(kind)!, rows, nIn, nOut);
  };
  // Adds the adapter's share to dx (which already holds dy·Wᵀ) and accumulates dA, dB.
  const loraBackward = (
    adapter: LoraAdapter | null,
    adapterGrads: ParamSet | null,
    buf: LayerBuffers,
    layer: number,
    kind: LoraSiteKind,
    x: Float32Array,
    dy: Float32Array,
    dx: Float32Array | null,
    rows: number,
    nIn: number,
    nOut: number,
  ): void => {
    const w = site(adapter, layer, kind);
    if (!w) return;
    const name = `h.${layer}.${kind}.lora_`;
    const dA = adapterGrads ? adapterGrads.get(`${name}A.weight`) : null;
    const dB = adapterGrads ? adapterGrads.get(`${name}B.weight`) : null;
    loraLinearBackward(kernels, w, x, dy, dx, buf.u.get(kind)!, scratch!.du, dA, dB, rows, nIn, nOut);
  };

  return {
    rowLoss,
    rowIndex,
    probabilities: () => logits.subarray(0, (last?.R ?? 0) * V),
    forward(params, batch, adapter = null) {
      const { batchSize: B, seqLen: T } = batch;
      if (B > options.maxBatch || T > options.maxSeqLen || T > config.nPositions) {
        throw new RangeError(`batch ${B}x${T} exceeds runner capacity`);
      }
      const rows = B * T;
      const shape = { batch: B, seqLen: T, nEmbd: C, nHead: H };
      const eps = config.layerNormEpsilon;
      // Rows that carry a target. When only some do, the last block's projection, MLP, final norm and LM
      // head run on those rows alone: nothing else reaches the loss (attention still reads every row).
      let R = 0;
      for (let i = 0; i < rows; i++) {
        const t = batch.targets[i]!;
        if (t >= 0) {
          rowIndex[R] = i;
          targetsC[R] = t;
          R++;
        }
      }
      const compact = R > 0 && R < rows;
      embeddingForward(batch.tokens, params.get('wte.weight'), params.get('wpe.weight'), xs[0]!, B, T, C);
      for (let l = 0; l < L; l++) {
        const buf = layers[options.training ? l : 0]!;
        const p = `h.${l}.`;
        const x = xs[l]!;
        fused.layerNormForward(
          x,
          params.get(`${p}ln_1.weight`),
          params.get(`${p}ln_1.bias`),
          buf.h1,
          buf.mean1,
          buf.rstd1,
          rows,
          C,
          eps,
        );
        kernels.matmul(buf.h1, params.get(`${p}attn.c_attn.weight`), buf.qkv, rows, 3 * C, C);
        loraForward(adapter, buf, l, 'attn.c_attn', buf.h1, buf.qkv, rows, C, 3 * C);
        fused.addBiasResidual(buf.qkv, params.get(`${p}attn.c_attn.bias`), null, rows, 3 * C);
        attentionForward(kernels, buf.qkv, buf.a, buf.attn, o, shape);
        // n: rows that go on through this block (only the target rows in a compact last block).
        const n = compact && l === L - 1 ? R : rows;
        if (n !== rows) {
          gatherRows(buf.a, rowIndex, R, C);
          for (let q = 0; q < R; q++) {
            const src = rowIndex[q]! * C;
            for (let j = 0; j < C; j++) o[q * C + j] = x[src + j]!;
          }
        }
        kernels.matmul(buf.a, params.get(`${p}attn.c_proj.weight`), buf.xMid, n, C, C);
        loraForward(adapter, buf, l, 'attn.c_proj', buf.a, buf.xMid, n, C, C);
        fused.addBiasResidual(buf.xMid, params.get(`${p}attn.c_proj.bias`), n !== rows ? o : x, n, C);
        fused.layerNormForward(
          buf.xMid,
          params.get(`${p}ln_2.weight`),
          params.get(`${p}ln_2.bias`),
          buf.h2,
          buf.mean2,
          buf.rstd2,
          n,
          C,
          eps,
        );
        kernels.matmul(buf.h2, params.get(`${p}mlp.c_fc.weight`), buf.pre, n, 4 * C, C);
        loraForward(adapter, buf, l, 'mlp.c_fc', buf.h2, buf.pre, n, C, 4 * C);
        // A training runner keeps gelu'(x) in pre, so the backward is one product without exp.
        fused.biasGeluForward(buf.pre, params.get(`${p}mlp.c_fc.bias`), buf.g, n, 4 * C, {
          saveDerivative: options.training,
        });
        const next = xs[l + 1]!;
        kernels.matmul(buf.g, params.get(`${p}mlp.c_proj.weight`), next, n, C, 4 * C);
        loraForward(adapter, buf, l, 'mlp.c_proj', buf.g, next, n, 4 * C, C);
        fused.addBiasResidual(next, params.get(`${p}mlp.c_proj.bias`), buf.xMid, n, C);
      }
      const fRows = compact ? R : rows;
      fused.layerNormForward(
        xs[L]!,
        params.get('ln_f.weight'),
        params.get('ln_f.bias'),
        hf,
        meanF,
        rstdF,
        fRows,
        C,
        eps,
      );
      let lossSum = 0;
      if (R > 0) {
        kernels.matmul(hf, params.get('wte.weight'), logits, R, V, C, { transB: true });
        fused.softmaxCrossEntropyForward(logits, targetsC, rowLoss, R, V);
        for (let q = 0; q < R; q++) lossSum += rowLoss[q]!;
      }
      last = { params, batch, adapter, rows, R, compact };
      return { lossSum, targetCount: R };
    },
    backward(grads, adapterGrads, scale) {
      if (!scratch || !last) throw new Error('backward needs a training runner and a prior forward');
      const { params, batch, adapter, rows, R, compact } = last;
      const { batchSize: B, seqLen: T } = batch;
      const shape = { batch: B, seqLen: T, nEmbd: C, nHead: H };
      const { dres, dh, dqkv, dg } = scratch;
      const gget = (name: string) => (grads ? grads.get(name) : null);
      // Rows of the final norm and of the last block's MLP: the target rows only when compact.
      const fRows = compact ? R : rows;
      // LM head (tied to wte): dlogits -> dh, one row per final-norm row.
      if (R > 0) {
        softmaxCrossEntropyBackward(logits, targetsC, R, V, scale);
        kernels.matmul(logits, params.get('wte.weight'), dh, R, C, V);
        if (grads)
          kernels.matmul(logits, hf, grads.get('wte.weight'), V, C, R, { transA: true, accumulate: true });
      } else {
        dh.fill(0, 0, rows * C);
      }
      dres.fill(0, 0, fRows * C);
      fused.layerNormBackward(
        dh,
        xs[L]!,
        params.get('ln_f.weight'),
        meanF,
        rstdF,
        dres,
        gget('ln_f.weight'),
        gget('ln_f.bias'),
        fRows,
        C,
      );
      for (let l = L - 1; l >= 0; l--) {
        const buf = layers[l]!;
        const p = `h.${l}.`;
        const n = compact && l === L - 1 ? R : rows;
        // MLP: dres is d(x_out); residual passes it straight to x_mid.
        linearBackward(
          kernels,
          buf.g,
          params.get(`${p}mlp.c_proj.weight`),
          dres,
          dg,
          gget(`${p}mlp.c_proj.weight`),
          gget(`${p}mlp.c_proj.bias`),
          n,
          4 * C,
          C,
        );
        loraBackward(adapter, adapterGrads, buf, l, 'mlp.c_proj', buf.g, dres, dg, n, 4 * C, C);
        fused.multiply(buf.pre, dg, dg, n * 4 * C);
        linearBackward(
          kernels,
          buf.h2,
          params.get(`${p}mlp.c_fc.weight`),
          dg,
          dh,
          gget(`${p}mlp.c_fc.weight`),
          gget(`${p}mlp.c_fc.bias`),
          n,
          C,
          4 * C,
        );
        loraBackward(adapter, adapterGrads, buf, l, 'mlp.c_fc', buf.h2, dg, dh, n, C, 4 * C);
        fused.layerNormBackward(
          dh,
          buf.xMid,
          params.get(`${p}ln_2.weight`),
          buf.mean2,
          buf.rstd2,
          dres,
          gget(`${p}ln_2.weight`),
          gget(`${p}ln_2.bias`),
          n,
          C,
        );
        // Attention: dres is now d(x_mid).
        linearBackward(
          kernels,
          buf.a,
          params.get(`${p}attn.c_proj.weight`),
          dres,
          dh,
          gget(`${p}attn.c_proj.weight`),
          gget(`${p}attn.c_proj.bias`),
          n,
          C,
          C,
        );
        loraBackward(adapter, adapterGrads, buf, l, 'attn.c_proj', buf.a, dres, dh, n, C, C);
        if (n !== rows) {
          // Back to every row: non-target rows get zero gradient from the compact part.
          expandRows(dh, rowIndex, R, rows, C);
          expandRows(dres, rowIndex, R, rows, C);
        }
        attentionBackward(kernels, dh, dqkv, buf.attn, scratch.attn, shape);
        // With the base frozen nothing below layer 0's c_attn trains: skip its input gradient and ln_1.
        const inputGrad = grads !== null || l > 0;
        linearBackward(
          kernels,
          buf.h1,
          params.get(`${p}attn.c_attn.weight`),
          dqkv,
          inputGrad ? dh : null,
          gget(`${p}attn.c_attn.weight`),
          gget(`${p}attn.c_attn.bias`),
          rows,
          C,
          3 * C,
        );
        loraBackward(
          adapter,
          adapterGrads,
          buf,
          l,
          'attn.c_attn',
          buf.h1,
          dqkv,
          inputGrad ? dh : null,
          rows,
          C,
          3 * C,
        );
        if (!inputGrad) continue;
        fused.layerNormBackward(
          dh,
          xs[l]!,
          params.get(`${p}ln_1.weight`),
          buf.mean1,
          buf.rstd1,
          dres,
          gget(`${p}ln_1.weight`),
          gget(`${p}ln_1.bias`),
          rows,
          C,
        );
      }
      if (grads)
        embeddingBackward(batch.tokens, dres, grads.get('wte.weight'), grads.get('wpe.weight'), B, T, C);
    },
    release() {
      buffers.release();
      last = undefined;
    },
  };
}

/** Moves rows index[0..count) of x [*, cols] to rows 0..count in place (index ascending). */
function gatherRows(x: Float32Array, index: Int32Array, count: number, cols: number): void {
  for (let q = 0; q < count; q++) {
    const src = index[q]!;
    if (src !== q) x.copyWithin(q * cols, src * cols, src * cols + cols);
  }
}

/** Inverse of gatherRows: row q goes back to row index[q]; every other of the `rows` rows becomes zero. */
function expandRows(x: Float32Array, index: Int32Array, count: number, rows: number, cols: number): void {
  for (let q = count - 1; q >= 0; q--) {
    const dst = index[q]!;
    if (dst !== q) x.copyWithin(dst * cols, q * cols, q * cols + cols);
  }
  let next = 0;
  for (let i = 0; i < rows; i++) {
    if (next < count && index[next] === i) next++;
    else x.fill(0, i * cols, i * cols + cols);
  }
}
