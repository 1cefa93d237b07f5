import { describe, expect, it } from 'vitest';
import { lineageRule } from './lineage.js';
import { contextFor, submissionFacts, weightFacts } from './test-facts.js';

type Params = typeof lineageRule.defaults;
const other = (relativeDistance: number, deltaDirectionCosine: number) => ({
  modelId: 'impostor',
  weightsSha256: 'sha-imp',
  relativeDistance,
  cosine: 0.1,
  deltaDirectionCosine,
});
const full = (weights: Partial<ReturnType<typeof weightFacts>>) =>
  submissionFacts('m1', { weights: weightFacts(weights) });
const judge = (facts: ReturnType<typeof submissionFacts>, params: Partial<Params> = {}) =>
  lineageRule.check(contextFor<Params>(lineageRule, facts, params));

describe('lineage rule', () => {
  it('passes an honest full fine-tune, with its geometry as evidence', () => {
    const outcome = judge(full({}));
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence).toMatchObject({
      cosineToBase: 0.95,
      maxDeltaDirectionCosine: 0.05,
      problems: [],
    });
  });

  it('passes a LoRA adapter that parsed, saying it is applied to the pinned base', () => {
    const outcome = judge(
      submissionFacts('m1', { artifactKind: 'lora', weights: weightFacts({ cosineToBase: 0 }) }),
    );
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence).toMatchObject({ kind: 'lora', appliedTo: 'sha-base' });
    expect(String(outcome.evidence.reason)).toContain('pinned base');
  });

  it('fails a LoRA adapter that did not parse', () => {
    const facts = submissionFacts('m1', {
      artifactKind: 'lora',
      format: { ok: false, code: 'bad_header', bytes: 1, files: [], tensors: 0, parameters: 0 },
    });
    expect(judge(facts).passed).toBe(false);
  });

  it('fails full weights with another config, or with no weight facts', () => {
    expect(judge(full({ configMatches: false })).evidence).toMatchObject({ problems: ['config'] });
    const { weights: _, ...noWeights } = submissionFacts('m1');
    expect(judge(noWeights).passed).toBe(false);
  });

  it('fails a whole-model cosine below the limit and passes one at it', () => {
    expect(judge(full({ cosineToBase: 0.69 })).evidence).toMatchObject({ problems: ['cosine_to_base'] });
    expect(judge(full({ cosineToBase: 0.7 })).passed).toBe(true);
  });

  it('fails one swapped tensor (per-tensor cosine) below the limit', () => {
    expect(judge(full({ minTensorCosine: 0.24 })).evidence).toMatchObject({ problems: ['tensor_cosine'] });
    expect(judge(full({ minTensorCosine: 0.25 })).passed).toBe(true);
  });

  it('fails weights closer to another base than to the requested one, unless the operator turns it off', () => {
    const facts = full({ relativeDistance: 0.9, otherBases: [other(0.8, 0)] });
    expect(judge(facts).evidence).toMatchObject({
      closerToOtherBases: ['impostor'],
      problems: ['closer_to_other_base'],
    });
    expect(judge(facts, { requireCloserToBase: false }).passed).toBe(true);
  });

  it('fails a blend that sits close to the base but moved towards another base', () => {
    // Measured: a 0.8/0.2 blend is closer to the base than honest fine-tunes; only its direction gives it away.
    const blend = full({ relativeDistance: 0.17, cosineToBase: 0.99, otherBases: [other(0.69, 1)] });
    const outcome = judge(blend);
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence).toMatchObject({
      movedTowards: ['impostor'],
      problems: ['moved_towards_other_base'],
    });
    expect(judge(full({ otherBases: [other(1.3, 0.4)] })).passed).toBe(true);
    expect(judge(full({ otherBases: [other(1.3, 0.41)] })).passed).toBe(false);
  });

  it('fails a change that contains a share of another base above the limit, when evaluation measured it', () => {
    const blendThenTuned = { ...other(1.06, 0.24), blendFraction: 0.21 };
    const outcome = judge(full({ otherBases: [blendThenTuned] }));
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence).toMatchObject({
      blendedWith: ['impostor'],
      problems: ['blended_with_other_base'],
    });
    expect(judge(full({ otherBases: [{ ...other(1.3, 0), blendFraction: 0.1 }] })).passed).toBe(true);
    expect(judge(full({ otherBases: [other(1.3, 0)] })).evidence).toMatchObject({ blendedWith: [] });
  });

  it('passes with no other known base to compare with', () => {
    const outcome = judge(full({ otherBases: [] }));
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence.maxDeltaDirectionCosine).toBeNull();
  });
});
