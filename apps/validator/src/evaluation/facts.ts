// What evaluation measures about a job, once, so that rules and scoring can be re-run from storage without a
// second evaluation: per submission its commit, its format check, its mean losses on the three sets and its
// weight geometry against the pinned base and every other known base. Per-example losses are kept apart as
// compact blobs (exampleLosses). A TypeBox schema, so stored facts are decoded at the database boundary.

import { type Static, Type } from '@sinclair/typebox';

/** Mean cross-entropy (nats per answer token) on the job's three sets. */
export const SetLosses = Type.Object({
  /** The hidden test split. */
  test: Type.Number(),
  /** The synthetic set made when the job closed. */
  synthetic: Type.Number(),
  /** A sample of the job's own train rows, as many as the test split (a signal for the leak rule). */
  trainSample: Type.Number(),
});
/** Mean losses on the three sets. */
export type SetLosses = Static<typeof SetLosses>;

/** The strict parse of an artifact before any compute. */
export const FormatFacts = Type.Object({
  ok: Type.Boolean(),
  /** Why it is unusable (a machine-readable code), when `ok` is false. */
  code: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
  /** Bundle size in bytes. */
  bytes: Type.Integer(),
  /** Files in the bundle. */
  files: Type.Array(Type.String()),
  /** Tensors and parameters found. */
  tensors: Type.Integer(),
  parameters: Type.Integer(),
  /** LoRA only: the adapter's rank and the modules it targets. */
  loraRank: Type.Optional(Type.Integer()),
  targetModules: Type.Optional(Type.Array(Type.String())),
});
/** The strict parse of an artifact. */
export type FormatFacts = Static<typeof FormatFacts>;

/** The submission's weights compared with one other known base model. */
export const OtherBaseFacts = Type.Object({
  modelId: Type.String(),
  weightsSha256: Type.String(),
  /** ‖W − O‖ / ‖O‖. */
  relativeDistance: Type.Number(),
  /** cos(W, O) over all weights. */
  cosine: Type.Number(),
  /** cos(W − B, O − B): how much the change points towards this other base (a blend scores near 1). */
  deltaDirectionCosine: Type.Number(),
  /**
   * Optional (read by the integrity lineage rule when present): ⟨W − B, O − B⟩ / ‖O − B‖², the share of O − B in
   * the change. A 0.8/0.2 blend with O gives 0.2, and keeps ~0.2 after further fine-tuning, when the direction
   * cosine has already dropped to that of honest fine-tunes.
   */
  blendFraction: Type.Optional(Type.Number()),
});
/** The submission's weights compared with another base. */
export type OtherBaseFacts = Static<typeof OtherBaseFacts>;

/** The geometry of a submission's effective weights W (LoRA merged into the pinned base B). */
export const WeightFacts = Type.Object({
  /** Whether the submission's config (full weights) is the base's; always true for LoRA. */
  configMatches: Type.Boolean(),
  /** ‖W − B‖ / ‖B‖ over all weights. */
  relativeDistance: Type.Number(),
  /** cos(W, B) over all weights. */
  cosineToBase: Type.Number(),
  /** The smallest cos(W_t, B_t) over the weight matrices (vectors such as biases do not count). */
  minTensorCosine: Type.Number(),
  /** ‖W − B‖ (absolute). */
  deltaNorm: Type.Number(),
  /** The same against every other known base of the same architecture. */
  otherBases: Type.Array(OtherBaseFacts),
  /**
   * A seeded random projection of W − B (same seed for every submission on the same base), so near-identical
   * changes can be found across jobs and miners without keeping whole deltas: cosines of sketches approximate
   * cosines of deltas.
   */
  deltaSketch: Type.Array(Type.Number()),
});
/** The geometry of a submission's weights. */
export type WeightFacts = Static<typeof WeightFacts>;

/** Everything evaluation measured about one submission. */
export const SubmissionFacts = Type.Object({
  minerId: Type.String(),
  artifactSha256: Type.String(),
  artifactKind: Type.Union([Type.Literal('lora'), Type.Literal('full')]),
  /** When this commit was made, and the job's deadline. */
  committedAt: Type.String(),
  deadline: Type.String(),
  /** The first time this artifact hash was committed anywhere on this validator, by anyone. */
  firstCommittedAt: Type.String(),
  /** The first time this miner committed this hash (a later re-commit does not make it the copier). */
  minerFirstCommittedAt: Type.Optional(Type.String()),
  /** Whether the committed bytes were uploaded and hash to the committed sha256. */
  uploaded: Type.Boolean(),
  format: FormatFacts,
  /** Absent when the artifact was unusable (format failed) or evaluation gave up on it. */
  losses: Type.Optional(SetLosses),
  weights: Type.Optional(WeightFacts),
});
/** Everything evaluation measured about one submission. */
export type SubmissionFacts = Static<typeof SubmissionFacts>;

/** The untouched pinned base model's losses on the job's sets. */
export const BaseFacts = Type.Object({
  modelId: Type.String(),
  weightsSha256: Type.String(),
  losses: SetLosses,
});
/** The pinned base's losses. */
export type BaseFacts = Static<typeof BaseFacts>;

/** The per-example losses of one model on the three sets, same examples in the same order for every model. */
export interface ExampleLosses {
  test: Float32Array;
  synthetic: Float32Array;
  trainSample: Float32Array;
}

/** Encodes per-example losses as one compact blob: three little-endian float32 runs with a 12-byte header. */
export function encodeExampleLosses(losses: ExampleLosses): Uint8Array {
  const parts = [losses.test, losses.synthetic, losses.trainSample];
  const out = new Uint8Array(12 + 4 * parts.reduce((n, part) => n + part.length, 0));
  const view = new DataView(out.buffer);
  let offset = 12;
  parts.forEach((part, index) => {
    view.setUint32(index * 4, part.length, true);
    for (const value of part) {
      view.setFloat32(offset, value, true);
      offset += 4;
    }
  });
  return out;
}

/** Decodes a blob written by encodeExampleLosses; undefined when it is not one. */
export function decodeExampleLosses(blob: Uint8Array): ExampleLosses | undefined {
  if (blob.byteLength < 12) return undefined;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const counts = [0, 1, 2].map((index) => view.getUint32(index * 4, true));
  const total = counts.reduce((a, b) => a + b, 0);
  if (blob.byteLength !== 12 + 4 * total) return undefined;
  let offset = 12;
  const [test, synthetic, trainSample] = counts.map((count) => {
    const part = new Float32Array(count);
    for (let i = 0; i < count; i++, offset += 4) part[i] = view.getFloat32(offset, true);
    return part;
  }) as [Float32Array, Float32Array, Float32Array];
  return { test, synthetic, trainSample };
}
