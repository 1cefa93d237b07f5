// Backward pass of one transformer block over the activations its forward kept: MLP, ln_2, c_proj,
// attention, c_attn and ln_1, each product with its LoRA share. Accumulates gradients; computes no loss.

import type { BackwardScratch } from '../gpt-buffers.js';
import { attentionBackward } from '../layers/attention.js';
import { linearBackward } from '../layers/linear.js';
import type { LoraSiteKind } from '../lora.js';
import type { ParamSet } from '../params.js';
import { loraCall } from './lora-sites.js';
import type { BlockInput, RunnerContext } from './runner-context.js';
import { blockRows, expandRows } from './target-rows.js';

/** One block's backward: its inputs, the gradients it accumulates into and the shared scratch. */
export interface BlockBackwardInput extends BlockInput {
  /** Base gradients (null: base frozen). */
  readonly grads: ParamSet | null;
  /** Adapter gradients (null: no adapter or adapter frozen). */
  readonly adapterGrads: ParamSet | null;
  readonly scratch: BackwardScratch;
}

/**
 * Turns d(x_out) in `scratch.dres` into d(x_in) and accumulates the block's gradients. With the base
 * frozen, block 0 stops after c_attn: nothing below it trains, so dres is left as d(x_mid).
 */
export function blockBackward(ctx: RunnerContext, io: BlockBackwardInput): void {
  const { kernels, fused, config, lora } = ctx;
  const { params, adapter, grads, adapterGrads, layer, buf, scratch, pass } = io;
  const { dres, dh, dqkv, dg, du } = scratch;
  const C = config.nEmbd;
  const { rows } = pass;
  const p = `h.${layer}.`;
  const gget = (name: string) => (grads ? grads.get(name) : null);
  const site = (kind: LoraSiteKind, input: Float32Array, n: number) =>
    loraCall(buf, layer, kind, input, n, C);
  // The weight of layer `name` and its gradients (null while the base is frozen).
  const tensors = (name: string) => ({
    w: params.get(`${p}${name}.weight`),
    dw: gget(`${p}${name}.weight`),
    db: gget(`${p}${name}.bias`),
  });
  // Backward of the Conv1D `name`: dx = dy·Wᵀ (null: not needed), dW and db accumulated.
  const linear = (
    name: string,
    input: Float32Array,
    dy: Float32Array,
    dx: Float32Array | null,
    n: number,
    nIn: number,
    nOut: number,
  ) => {
    const t = tensors(name);
    linearBackward(kernels, input, t.w, dy, dx, t.dw, t.db, n, nIn, nOut);
  };
  // Backward of layer norm `name` from dh; its input gradient is added to dres.
  const norm = (name: string, input: Float32Array, mean: Float32Array, rstd: Float32Array, n: number) => {
    const t = tensors(name);
    fused.layerNormBackward(dh, input, t.w, mean, rstd, dres, t.dw, t.db, n, C);
  };
  const n = blockRows(pass, layer, config.nLayer);
  // MLP: dres is d(x_out); residual passes it straight to x_mid.
  linear('mlp.c_proj', buf.g, dres, dg, n, 4 * C, C);
  lora.backward(adapter, adapterGrads, site('mlp.c_proj', buf.g, n), dres, dg, du);
  fused.multiply(buf.pre, dg, dg, n * 4 * C);
  linear('mlp.c_fc', buf.h2, dg, dh, n, C, 4 * C);
  lora.backward(adapter, adapterGrads, site('mlp.c_fc', buf.h2, n), dg, dh, du);
  norm('ln_2', buf.xMid, buf.mean2, buf.rstd2, n);
  // Attention: dres is now d(x_mid).
  linear('attn.c_proj', buf.a, dres, dh, n, C, C);
  lora.backward(adapter, adapterGrads, site('attn.c_proj', buf.a, n), dres, dh, du);
  if (n !== rows) {
    // Back to every row: non-target rows get zero gradient from the compact part.
    expandRows(dh, pass.rowIndex, pass.targetRows, rows, C);
    expandRows(dres, pass.rowIndex, pass.targetRows, rows, C);
  }
  attentionBackward(kernels, dh, dqkv, buf.attn, scratch.attn, io.shape);
  // With the base frozen nothing below layer 0's c_attn trains: skip its input gradient and ln_1.
  const inputGrad = grads !== null || layer > 0;
  linear('attn.c_attn', buf.h1, dqkv, inputGrad ? dh : null, rows, C, 3 * C);
  lora.backward(adapter, adapterGrads, site('attn.c_attn', buf.h1, rows), dqkv, inputGrad ? dh : null, du);
  if (!inputGrad) return;
  norm('ln_1', io.x, buf.mean1, buf.rstd1, rows);
}
