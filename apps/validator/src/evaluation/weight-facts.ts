// The geometry of a submission's effective weights W against the pinned base B and every other known base O
// of the same architecture, plus a seeded sketch of W − B for cross-job duplicate checks. LoRA is compared
// through its full-size delta (engine adapterDelta), so adapters and full fine-tunes share one space. Pure
// arithmetic over loaded weights: no files, no evaluation.

import { adapterDelta, cosineSimilarity, deriveSeed, type GptModel, modelDelta } from '@tuning-arena/engine';
import { type BaseModel, configDifferences } from './base-model.js';
import type { OtherBaseFacts, WeightFacts } from './facts.js';
import type { LoadedArtifact } from './load-artifact.js';

/** Dimensions of the delta sketch. */
export const SKETCH_DIMS = 256;

/** W − B, flattened in the base's tensor order. */
export function submissionDelta(base: GptModel, loaded: LoadedArtifact): Float32Array {
  return loaded.kind === 'lora' ? adapterDelta(base, loaded.adapter) : modelDelta(base, loaded.model);
}

/** The sketch seed: a function of the base's weights sha256 only, so sketches on one base compare. */
export function sketchSeed(baseWeightsSha256: string): number {
  return deriveSeed(
    Number.parseInt(baseWeightsSha256.slice(0, 8) || '0', 16) >>> 0,
    `sketch:${baseWeightsSha256}`,
  );
}

/** A 32-bit integer hash (murmur3's finaliser). */
function mix32(x: number): number {
  let z = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded sparse random projection of `delta` to SKETCH_DIMS (256) dimensions: each weight is added with a
 * random sign to 4 random buckets, scaled by 1/2, so inner products and norms are preserved in expectation.
 * Buckets and signs come from a counter-based hash of (seed, index), two hashes per weight (8 bits of bucket
 * and one of sign each, four times), so unchanged (zero) weights are skipped and the cost is one pass.
 */
export function deltaSketch(delta: Float32Array, seed: number): number[] {
  const out = new Float64Array(SKETCH_DIMS);
  const key = mix32(seed >>> 0);
  const add = (bits: number, value: number) => {
    out[bits & 0xff]! += bits & 0x100 ? -value : value;
  };
  for (let i = 0; i < delta.length; i++) {
    if (delta[i] === 0) continue;
    const value = delta[i]! * 0.5;
    const x = mix32((i ^ key) >>> 0);
    const y = mix32(x ^ 0x9e3779b9);
    add(x, value);
    add(x >>> 16, value);
    add(y, value);
    add(y >>> 16, value);
  }
  return Array.from(out);
}

function norm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}

/** Compares W = B + delta with another base O of the same shape. */
function otherBaseFacts(base: GptModel, delta: Float32Array, other: BaseModel): OtherBaseFacts {
  const b = base.params.data;
  const o = other.model.params.data;
  let diff = 0;
  let oo = 0;
  let ww = 0;
  let wo = 0;
  let dd = 0;
  let ob = 0;
  let dob = 0;
  for (let i = 0; i < b.length; i++) {
    const w = b[i]! + delta[i]!;
    const x = o[i]!;
    const d = w - x;
    const obi = x - b[i]!;
    diff += d * d;
    oo += x * x;
    ww += w * w;
    wo += w * x;
    dd += delta[i]! * delta[i]!;
    ob += obi * obi;
    dob += delta[i]! * obi;
  }
  return {
    modelId: other.modelId,
    weightsSha256: other.weightsSha256,
    relativeDistance: Math.sqrt(diff) / Math.max(Math.sqrt(oo), 1e-30),
    cosine: ww === 0 || oo === 0 ? 0 : wo / Math.sqrt(ww * oo),
    deltaDirectionCosine: dd === 0 || ob === 0 ? 0 : dob / Math.sqrt(dd * ob),
    // How much of (O - B) the change carries: a base + t * (impostor - base) blend measures t.
    blendFraction: ob === 0 ? 0 : dob / ob,
  };
}

/** WeightFacts of a loaded submission against its pinned base and the other known bases. */
export function computeWeightFacts(
  base: BaseModel,
  loaded: LoadedArtifact,
  otherBases: readonly BaseModel[],
): WeightFacts {
  const b = base.model.params.data;
  const delta = submissionDelta(base.model, loaded);
  let wb = 0;
  let ww = 0;
  let bb = 0;
  let minTensorCosine = 1;
  for (const spec of base.model.params.specs) {
    let tb = 0;
    let tw = 0;
    let tbb = 0;
    for (let i = spec.offset; i < spec.offset + spec.size; i++) {
      const w = b[i]! + delta[i]!;
      tb += w * b[i]!;
      tw += w * w;
      tbb += b[i]! * b[i]!;
    }
    // Only weight matrices count towards the minimum. A bias or layer-norm vector of a lightly pretrained base
    // is small and near its initial value, so an honest fine-tune can turn it around (the demo's default full
    // fine-tune measured 0.09 on one while every matrix stayed near its base); an all-zero one has no
    // direction at all. An impostor differs in its matrices, where this check and cosineToBase see it.
    if (spec.shape.length >= 2) {
      const cos = tbb === 0 ? 1 : tw === 0 ? 0 : tb / Math.sqrt(tw * tbb);
      minTensorCosine = Math.min(minTensorCosine, cos);
    }
    wb += tb;
    ww += tw;
    bb += tbb;
  }
  const deltaNorm = norm(delta);
  const others = otherBases.filter(
    (other) =>
      other.weightsSha256 !== base.weightsSha256 &&
      configDifferences(other.model.config, base.model.config).length === 0,
  );
  return {
    configMatches: true,
    relativeDistance: deltaNorm / Math.max(Math.sqrt(bb), 1e-30),
    cosineToBase: ww === 0 || bb === 0 ? 0 : wb / Math.sqrt(ww * bb),
    minTensorCosine,
    deltaNorm,
    otherBases: others.map((other) => otherBaseFacts(base.model, delta, other)),
    deltaSketch: deltaSketch(delta, sketchSeed(base.weightsSha256)),
  };
}

/** Cosine of two sketches (0 when either is zero): approximates the cosine of the two deltas. */
export function sketchCosine(a: readonly number[], b: readonly number[]): number {
  return cosineSimilarity(Float32Array.from(a), Float32Array.from(b));
}
