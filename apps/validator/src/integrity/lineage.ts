// Rule `lineage`: the submission is a fine-tune of the requested base. A LoRA adapter is always merged into the
// validator's own pinned base, so its lineage holds by construction once it parses. Full weights must carry the
// base's config, stay close to the base as a whole and tensor by tensor, sit closer to it than to any other
// known base, and must not have moved towards another base (a blend): distance alone misses blends, direction
// catches them. It does not judge whether the change is any good.

import { Type } from '@sinclair/typebox';
import type { Rule } from './rule.js';
import { round } from './stats.js';

/** Parameters of the lineage rule. */
const LineageParams = Type.Object(
  {
    /** Smallest whole-model cos(W, B) (honest full fine-tunes of tiny models: >= 0.96; impostors ~0.1). */
    minCosineToBase: Type.Number({ minimum: -1, maximum: 1, default: 0.7 }),
    /** Smallest per-tensor cos(W_t, B_t) (one swapped tensor is enough to fail). */
    minTensorCosine: Type.Number({ minimum: -1, maximum: 1, default: 0.25 }),
    /** Largest cos(W − B, O − B) towards any other known base (honest <= 0.2; a 0.8/0.2 blend: 1.0). */
    maxDeltaDirectionCosine: Type.Number({ minimum: -1, maximum: 1, default: 0.4 }),
    /**
     * Largest share of (O − B) in the change, ⟨W − B, O − B⟩ / ‖O − B‖², when evaluation supplies it (blends of 0.2:
     * 0.18-0.23, and 0.08-0.23 once fine-tuned on top; honest full fine-tunes here: -0.13 to -0.04).
     */
    maxBlendFraction: Type.Number({ default: 0.1 }),
    /** Whether W must be closer (relative L2) to the requested base than to every other known base. */
    requireCloserToBase: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

/** LoRA on the pinned base; full weights close to, and not drifting away from, the requested base. */
export const lineageRule: Rule<typeof LineageParams> = {
  id: 'lineage',
  summary:
    "A LoRA adapter is applied to the validator's pinned base; full weights must have the base's config, be close to the base as a whole and per tensor, closer to it than to any other known base, and must not have moved towards another base.",
  toPass:
    'Fine-tune the requested base: a different pretrained network, a swapped tensor or a blend with another base points away from it.',
  params: LineageParams,
  defaults: {
    minCosineToBase: 0.7,
    minTensorCosine: 0.25,
    maxDeltaDirectionCosine: 0.4,
    maxBlendFraction: 0.1,
    requireCloserToBase: true,
  },
  defaultAction: 'zero',
  check({ params, base, submission }) {
    const weights = submission.weights;
    const geometry = weights && {
      relativeDistance: round(weights.relativeDistance),
      cosineToBase: round(weights.cosineToBase),
      minTensorCosine: round(weights.minTensorCosine),
      otherBases: weights.otherBases.map((other) => ({
        modelId: other.modelId,
        relativeDistance: round(other.relativeDistance),
        cosine: round(other.cosine),
        deltaDirectionCosine: round(other.deltaDirectionCosine),
        blendFraction: other.blendFraction === undefined ? null : round(other.blendFraction),
      })),
    };
    if (submission.artifactKind === 'lora') {
      return {
        passed: submission.format.ok,
        evidence: {
          kind: 'lora',
          appliedTo: base.weightsSha256,
          reason: submission.format.ok
            ? "LoRA adapters are always applied to the validator's pinned base, so lineage holds once the adapter parses"
            : 'the adapter did not parse',
          ...(geometry && { geometry }),
        },
      };
    }
    if (!weights) {
      return {
        passed: false,
        evidence: { kind: 'full', reason: 'no weight facts (the weights did not load)' },
      };
    }
    const problems: string[] = [];
    if (!weights.configMatches) problems.push('config');
    if (!(weights.cosineToBase >= params.minCosineToBase)) problems.push('cosine_to_base');
    if (!(weights.minTensorCosine >= params.minTensorCosine)) problems.push('tensor_cosine');
    const closer = weights.otherBases.filter((other) => !(weights.relativeDistance < other.relativeDistance));
    if (params.requireCloserToBase && closer.length > 0) problems.push('closer_to_other_base');
    const towards = weights.otherBases.filter(
      (other) => !(other.deltaDirectionCosine <= params.maxDeltaDirectionCosine),
    );
    if (towards.length > 0) problems.push('moved_towards_other_base');
    // Absolute, not pool-relative: an honest full fine-tune with a small change has a share near 0 even when
    // the pool's larger fine-tunes share a negative component along O − B.
    const blended = weights.otherBases.filter(
      (other) => other.blendFraction !== undefined && !(other.blendFraction <= params.maxBlendFraction),
    );
    if (blended.length > 0) problems.push('blended_with_other_base');
    const directions = weights.otherBases.map((other) => other.deltaDirectionCosine);
    return {
      passed: problems.length === 0,
      evidence: {
        kind: 'full',
        base: base.modelId,
        configMatches: weights.configMatches,
        ...geometry,
        maxDeltaDirectionCosine: directions.length > 0 ? round(Math.max(...directions)) : null,
        thresholds: params,
        closerToOtherBases: closer.map((other) => other.modelId),
        movedTowards: towards.map((other) => other.modelId),
        blendedWith: blended.map((other) => other.modelId),
        problems,
      },
    };
  },
};
