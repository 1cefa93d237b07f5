import { describe, expect, it } from 'vitest';
import { decodeMinerMessage } from './codec.js';
import { decodeRecipe, encodeRecipe, MAX_RECIPE_BYTES } from './recipe.js';

const submit = {
  type: 'job.submit',
  jobId: 'job_1',
  artifactSha256: 'a'.repeat(64),
  artifactKind: 'lora',
  strategyNote: 'note',
  signature: 'A'.repeat(86),
};

describe('recipe', () => {
  it('round-trips a JSON object', () => {
    const recipe = { seed: 1, hyperparameters: { learning_rate: 0.002, lora_target_modules: ['c_attn'] } };
    const text = encodeRecipe(recipe);
    expect(text.ok && decodeRecipe(text.value)).toEqual({ ok: true, value: recipe });
  });

  it('refuses text that is not an object, too large or too deep', () => {
    for (const text of [
      '[1]',
      '"x"',
      'null',
      '{"a":',
      `{"a":"${'x'.repeat(MAX_RECIPE_BYTES)}"}`,
      '{"a":[[[[1]]]]}',
    ]) {
      const decoded = decodeRecipe(text);
      expect(decoded.ok ? 'accepted' : decoded.error.code).toBe('invalid_message');
    }
    expect(encodeRecipe({ a: 'x'.repeat(MAX_RECIPE_BYTES) }).ok).toBe(false);
  });

  it('travels in job.submit as bounded text beside the strategy note', () => {
    expect(decodeMinerMessage(JSON.stringify({ ...submit, recipe: '{"seed":1}' })).ok).toBe(true);
    const long = decodeMinerMessage(JSON.stringify({ ...submit, recipe: 'x'.repeat(MAX_RECIPE_BYTES + 1) }));
    expect(long.ok).toBe(false);
  });
});
