import { describe, expect, it } from 'vitest';
import { formatRule } from './format.js';
import { contextFor, submissionFacts } from './test-facts.js';

type Params = typeof formatRule.defaults;
const lora = (rank: number | undefined, modules: string[] | undefined, bytes = 10_000) =>
  submissionFacts('m1', {
    artifactKind: 'lora',
    format: {
      ok: true,
      bytes,
      files: ['adapter_config.json', 'adapter_model.safetensors'],
      tensors: 8,
      parameters: 4096,
      ...(rank !== undefined && { loraRank: rank }),
      ...(modules !== undefined && { targetModules: modules }),
    },
  });
const judge = (facts: ReturnType<typeof submissionFacts>, params: Partial<Params> = {}) =>
  formatRule.check(contextFor<Params>(formatRule, facts, params));

describe('format rule', () => {
  it('passes full weights that parsed within the size limit', () => {
    const outcome = judge(submissionFacts('m1'));
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence).toMatchObject({ parsed: true, bytes: 500_000, problems: [] });
  });

  it('fails an artifact that did not parse, with its code', () => {
    const facts = submissionFacts('m1', {
      format: {
        ok: false,
        code: 'non_finite',
        detail: 'h.0.attn.c_attn.weight',
        bytes: 10,
        files: [],
        tensors: 0,
        parameters: 0,
      },
    });
    const outcome = judge(facts);
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence).toMatchObject({ code: 'non_finite', problems: ['non_finite'] });
  });

  it('fails a bundle over the size limit and passes one at it', () => {
    expect(judge(submissionFacts('m1'), { maxArtifactBytes: 499_999 }).evidence).toMatchObject({
      problems: ['too_large'],
    });
    expect(judge(submissionFacts('m1'), { maxArtifactBytes: 500_000 }).passed).toBe(true);
  });

  it('passes a LoRA adapter at the rank limit on allowed modules (PEFT suffix match)', () => {
    const outcome = judge(lora(64, ['c_attn', 'attn.c_proj', 'mlp.c_fc']));
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence).toMatchObject({ loraRank: 64, maxLoraRank: 64, refusedModules: [] });
  });

  it('fails a LoRA rank above the limit, or no rank at all', () => {
    expect(judge(lora(65, ['c_attn'])).evidence).toMatchObject({ problems: ['lora_rank'] });
    expect(judge(lora(undefined, ['c_attn'])).passed).toBe(false);
  });

  it('fails target modules outside the allowed list, naming them', () => {
    const outcome = judge(lora(8, ['c_attn', 'wte']));
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence).toMatchObject({ refusedModules: ['wte'], problems: ['target_modules'] });
    expect(judge(lora(8, [])).passed).toBe(false);
    expect(judge(lora(8, ['c_fc']), { allowedTargetModules: ['c_attn'] }).passed).toBe(false);
  });
});
