// LoRA inside a runner: finds the adapter tensors of one site and adds the adapter's share to a layer's
// forward and backward. The base product, bias and buffers are the caller's; sites not adapted are skipped.

import type { LayerBuffers } from '../gpt-buffers.js';
import type { Kernels } from '../kernels/types.js';
import { type LoraWeights, loraLinearBackward, loraLinearForward } from '../layers/lora-linear.js';
import type { LoraAdapter, LoraSiteKind } from '../lora.js';
import type { ParamSet } from '../params.js';

/** One adapted product: the site, its input and output, and the rows and widths it runs on. */
export interface LoraCall {
  readonly layer: number;
  readonly kind: LoraSiteKind;
  readonly x: Float32Array;
  readonly rows: number;
  readonly nIn: number;
  readonly nOut: number;
  /** The site's saved scale·x·Aᵀ (written by forward, read by backward). */
  readonly u: Float32Array | undefined;
}

/** Input and output widths of each site, in multiples of nEmbd. */
const SITE_WIDTHS: Record<LoraSiteKind, readonly [number, number]> = {
  'attn.c_attn': [1, 3],
  'attn.c_proj': [1, 1],
  'mlp.c_fc': [1, 4],
  'mlp.c_proj': [4, 1],
};

/** The call of site `kind` in block `layer` on `rows` rows of `x`, with the block's saved u for that site. */
export function loraCall(
  buf: LayerBuffers,
  layer: number,
  kind: LoraSiteKind,
  x: Float32Array,
  rows: number,
  nEmbd: number,
): LoraCall {
  const [nIn, nOut] = SITE_WIDTHS[kind];
  return { layer, kind, x, rows, nIn: nIn * nEmbd, nOut: nOut * nEmbd, u: buf.u.get(kind) };
}

/** The LoRA share of a runner's products, for the site kinds its buffers were sized for. */
export interface LoraSites {
  /** The adapter tensors of a site, or null when there is no adapter or the site is not adapted. */
  weights(adapter: LoraAdapter | null, layer: number, kind: LoraSiteKind): LoraWeights | null;
  /** y += the adapter's share of the product (no-op for a site without adapter). */
  forward(adapter: LoraAdapter | null, call: LoraCall, y: Float32Array): void;
  /**
   * Adds the adapter's share to dx (which already holds dy·Wᵀ; null: not needed) and accumulates dA, dB
   * into `adapterGrads` (null: adapter frozen). `du` is scratch of rows × rank.
   */
  backward(
    adapter: LoraAdapter | null,
    adapterGrads: ParamSet | null,
    call: LoraCall,
    dy: Float32Array,
    dx: Float32Array | null,
    du: Float32Array,
  ): void;
}

/** Creates the LoRA helpers of a runner whose buffers make room for `kinds`. */
export function createLoraSites(kernels: Kernels, kinds: ReadonlySet<LoraSiteKind>): LoraSites {
  const weights = (adapter: LoraAdapter | null, layer: number, kind: LoraSiteKind): LoraWeights | null => {
    if (!adapter || !kinds.has(kind)) return null;
    const name = `h.${layer}.${kind}.lora_`;
    if (!adapter.params.has(`${name}A.weight`)) return null;
    return {
      A: adapter.params.get(`${name}A.weight`),
      B: adapter.params.get(`${name}B.weight`),
      rank: adapter.config.r,
      scale: adapter.scale,
    };
  };
  return {
    weights,
    forward(adapter, c, y) {
      const w = weights(adapter, c.layer, c.kind);
      if (w) loraLinearForward(kernels, w, c.x, y, c.u!, c.rows, c.nIn, c.nOut);
    },
    backward(adapter, adapterGrads, c, dy, dx, du) {
      const w = weights(adapter, c.layer, c.kind);
      if (!w) return;
      const name = `h.${c.layer}.${c.kind}.lora_`;
      const dA = adapterGrads ? adapterGrads.get(`${name}A.weight`) : null;
      const dB = adapterGrads ? adapterGrads.get(`${name}B.weight`) : null;
      loraLinearBackward(kernels, w, c.x, dy, dx, c.u!, du, dA, dB, c.rows, c.nIn, c.nOut);
    },
  };
}
