// Backward pass of one transformer block over the activations its forward kept: MLP, ln_2, c_proj,
// attention, c_attn and ln_1, each product with its LoRA share. Accumulates gradients; computes no loss.

import type { LayerBuffers } from '../gpt-buffers.js';
import { type AttentionScratch, attentionBackward } from '../layers/attention.js';
import { linearBackward } from '../layers/linear.js';
import type { LoraAdapter, LoraSiteKind } from '../lora.js';
import type { ParamSet } from '../params.js';
import { loraCall } from './lora-sites.js';
import type { BatchShape, RunnerContext } from './runner-context.js';
import { blockRows, expandRows, type PassRows } from './target-rows.js';

/** Backward scratch shared by every block. */
export interface BackwardScratch {
  /** Gradient of the residual stream: d(x_out) in, d(x_in) out. */
  readonly dres: Float32Array;
  readonly dh: Float32Array;
  readonly dqkv: Float32Array;
  readonly dg: Float32Array;
  readonly du: Float32Array;
  readonly attn: AttentionScratch;
}

/** The weights, gradients, buffers and rows of one block's backward. */
export interface BlockBackwardInput {
  readonly params: ParamSet;
  readonly adapter: LoraAdapter | null;
  /** Base gradients (null: base frozen). */
  readonly grads: ParamSet | null;
  /** Adapter gradients (null: no adapter or adapter frozen). */
  readonly adapterGrads: ParamSet | null;
  readonly layer: number;
  readonly buf: LayerBuffers;
  /** Residual stream the block's forward read [rows, C]. */
  readonly x: Float32Array;
  readonly scratch: BackwardScratch;
  readonly shape: BatchShape;
  readonly pass: PassRows;
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
  const n = blockRows(pass, layer, config.nLayer);
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
  lora.backward(adapter, adapterGrads, site('mlp.c_proj', buf.g, n), dres, dg, du);
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
  lora.backward(adapter, adapterGrads, site('mlp.c_fc', buf.h2, n), dg, dh, du);
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
  lora.backward(adapter, adapterGrads, site('attn.c_proj', buf.a, n), dres, dh, du);
  if (n !== rows) {
    // Back to every row: non-target rows get zero gradient from the compact part.
    expandRows(dh, pass.rowIndex, pass.targetRows, rows, C);
    expandRows(dres, pass.rowIndex, pass.targetRows, rows, C);
  }
  attentionBackward(kernels, dh, dqkv, buf.attn, scratch.attn, io.shape);
  // With the base frozen nothing below layer 0's c_attn trains: skip its input gradient and ln_1.
  const inputGrad = grads !== null || layer > 0;
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
  lora.backward(adapter, adapterGrads, site('attn.c_attn', buf.h1, rows), dqkv, inputGrad ? dh : null, du);
  if (!inputGrad) return;
  fused.layerNormBackward(
    dh,
    io.x,
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
