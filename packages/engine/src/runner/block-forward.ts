// Forward pass of one transformer block over a runner's buffers: ln_1, c_attn, attention, c_proj, ln_2,
// MLP, each product with its LoRA share. Keeps what the backward needs in the layer's buffers; no loss.

import { attentionForward } from '../layers/attention.js';
import type { LoraSiteKind } from '../lora.js';
import { loraCall } from './lora-sites.js';
import type { BlockInput, RunnerContext } from './runner-context.js';
import { blockRows, gatherRows, gatherRowsInto } from './target-rows.js';

/** One block's forward: its inputs, and where its output goes. */
export interface BlockForwardInput extends BlockInput {
  /** Residual stream out of the block: [rows, C], or [targetRows, C] for a compact last block. */
  readonly next: Float32Array;
  /** Head-major attention output; a compact block then reuses it for its gathered input rows. */
  readonly o: Float32Array;
}

/** Runs block `layer` from `x` to `next`. */
export function blockForward(ctx: RunnerContext, io: BlockForwardInput): void {
  const { kernels, fused, config, lora } = ctx;
  const { params, adapter, layer, buf, x, next, o, pass } = io;
  const C = config.nEmbd;
  const eps = config.layerNormEpsilon;
  const { rows } = pass;
  const p = `h.${layer}.`;
  const site = (kind: LoraSiteKind, input: Float32Array, n: number) =>
    loraCall(buf, layer, kind, input, n, C);
  // Layer norm `name` over n rows of input into out, keeping mean and rstd for the backward.
  const norm = (
    name: string,
    input: Float32Array,
    out: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    n: number,
  ) => {
    const w = params.get(`${p}${name}.weight`);
    fused.layerNormForward(input, w, params.get(`${p}${name}.bias`), out, mean, rstd, n, C, eps);
  };
  norm('ln_1', x, buf.h1, buf.mean1, buf.rstd1, rows);
  kernels.matmul(buf.h1, params.get(`${p}attn.c_attn.weight`), buf.qkv, rows, 3 * C, C);
  lora.forward(adapter, site('attn.c_attn', buf.h1, rows), buf.qkv);
  fused.addBiasResidual(buf.qkv, params.get(`${p}attn.c_attn.bias`), null, rows, 3 * C);
  attentionForward(kernels, buf.qkv, buf.a, buf.attn, o, io.shape);
  // n: rows that go on through this block (only the target rows in a compact last block; attention above
  // still read every row).
  const n = blockRows(pass, layer, config.nLayer);
  if (n !== rows) {
    gatherRows(buf.a, pass.rowIndex, pass.targetRows, C);
    gatherRowsInto(x, o, pass.rowIndex, pass.targetRows, C);
  }
  kernels.matmul(buf.a, params.get(`${p}attn.c_proj.weight`), buf.xMid, n, C, C);
  lora.forward(adapter, site('attn.c_proj', buf.a, n), buf.xMid);
  fused.addBiasResidual(buf.xMid, params.get(`${p}attn.c_proj.bias`), n !== rows ? o : x, n, C);
  norm('ln_2', buf.xMid, buf.h2, buf.mean2, buf.rstd2, n);
  kernels.matmul(buf.h2, params.get(`${p}mlp.c_fc.weight`), buf.pre, n, 4 * C, C);
  lora.forward(adapter, site('mlp.c_fc', buf.h2, n), buf.pre);
  // A training runner keeps gelu'(x) in pre, so the backward is one product without exp.
  fused.biasGeluForward(buf.pre, params.get(`${p}mlp.c_fc.bias`), buf.g, n, 4 * C, {
    saveDerivative: ctx.training,
  });
  kernels.matmul(buf.g, params.get(`${p}mlp.c_proj.weight`), next, n, C, 4 * C);
  lora.forward(adapter, site('mlp.c_proj', buf.g, n), next);
  fused.addBiasResidual(next, params.get(`${p}mlp.c_proj.bias`), buf.xMid, n, C);
}
