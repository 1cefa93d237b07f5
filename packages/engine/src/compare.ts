// Weight arithmetic for integrity checks: how far a submission moved from its base, and how alike two
// submissions' changes are. LoRA adapters are compared through their effective weight change
// scale·(B·A)ᵀ, so adapters and full fine-tunes live in the same space.

import { EngineError } from './errors.js';
import type { LoraAdapter } from './lora.js';
import type { GptModel } from './model.js';

/** Distance between two models of the same shape. */
interface ModelDistance {
  /** ‖a − b‖ / ‖b‖ over all weights. */
  readonly relativeL2: number;
  /** The same per tensor (HF names). */
  readonly perTensor: Record<string, number>;
}

function sameShape(a: GptModel, b: GptModel): void {
  const ka = JSON.stringify(a.config);
  if (ka !== JSON.stringify(b.config))
    throw new EngineError('shape_mismatch', 'models have different configs');
}

/** Relative L2 distance of `a` from `b` (b is the reference, e.g. the base). */
export function modelDistance(a: GptModel, b: GptModel): ModelDistance {
  sameShape(a, b);
  const perTensor: Record<string, number> = {};
  let diffAll = 0;
  let refAll = 0;
  for (const spec of b.params.specs) {
    const x = a.params.get(spec.name);
    const y = b.params.get(spec.name);
    let diff = 0;
    let ref = 0;
    for (let i = 0; i < y.length; i++) {
      const d = x[i]! - y[i]!;
      diff += d * d;
      ref += y[i]! * y[i]!;
    }
    perTensor[spec.name] = Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-30);
    diffAll += diff;
    refAll += ref;
  }
  return { relativeL2: Math.sqrt(diffAll) / Math.max(Math.sqrt(refAll), 1e-30), perTensor };
}

/** All weights of `model` minus those of `base`, flattened in tensor order. */
export function modelDelta(base: GptModel, model: GptModel): Float32Array {
  sameShape(base, model);
  return model.params.data.map((w, i) => w - base.params.data[i]!);
}

/**
 * The change an adapter makes to the base weights, as a full-size delta in tensor order (zeros where it
 * adapts nothing), so it compares directly with `modelDelta` of a full fine-tune.
 */
export function adapterDelta(base: GptModel, adapter: LoraAdapter): Float32Array {
  const delta = new Float32Array(base.params.data.length);
  const r = adapter.config.r;
  for (const site of adapter.sites) {
    const spec = base.params.specs.find((s) => s.name === `${site.module}.weight`);
    if (!spec || spec.size !== site.nIn * site.nOut)
      throw new EngineError('shape_mismatch', `${site.module}`);
    const a = adapter.params.get(`${site.module}.lora_A.weight`);
    const b = adapter.params.get(`${site.module}.lora_B.weight`);
    for (let i = 0; i < site.nIn; i++) {
      for (let o = 0; o < site.nOut; o++) {
        let sum = 0;
        for (let q = 0; q < r; q++) sum += a[q * site.nIn + i]! * b[o * r + q]!;
        delta[spec.offset + i * site.nOut + o] = adapter.scale * sum;
      }
    }
  }
  return delta;
}

/** Cosine similarity of two equally long vectors (0 when either is all zeros). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new EngineError('shape_mismatch', 'vectors differ in length');
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
