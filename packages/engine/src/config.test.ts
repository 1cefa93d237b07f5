import { describe, expect, it } from 'vitest';
import {
  countParameters,
  createModelConfig,
  decodeHfConfig,
  MODEL_PRESETS,
  TRANSFORMERS_VERSION,
  toHfConfig,
} from './config.js';
import { EngineError } from './errors.js';
import { createModel } from './model.js';

describe('config', () => {
  it('round-trips every preset through config.json and counts parameters from ~0.1M to ~20M', () => {
    for (const preset of Object.keys(MODEL_PRESETS) as (keyof typeof MODEL_PRESETS)[]) {
      const config = createModelConfig({ preset });
      const back = decodeHfConfig(JSON.parse(JSON.stringify(toHfConfig(config))));
      expect(back).toEqual({ ok: true, value: config });
    }
    expect(countParameters(createModelConfig({ preset: 'nano' }))).toBeGreaterThan(100_000);
    expect(countParameters(createModelConfig({ preset: 'large' }))).toBeLessThan(20_000_000);
    const tiny = createModelConfig({ nLayer: 1, nEmbd: 8, nHead: 2, nPositions: 4 });
    expect(createModel(tiny).params.data.length).toBe(countParameters(tiny));
  });

  it('refuses configs it cannot run, with codes', () => {
    const code = (o: unknown) => {
      const r = decodeHfConfig(o);
      return r.ok ? 'ok' : r.error.code;
    };
    const good = toHfConfig(createModelConfig());
    expect(code({ ...good, model_type: 'llama' })).toBe('unsupported_model_type');
    expect(code({ ...good, activation_function: 'relu' })).toBe('unsupported_activation');
    expect(code({ ...good, n_head: 3 })).toBe('invalid_config');
    expect(code({ ...good, tie_word_embeddings: false })).toBe('unsupported_config');
    expect(code([])).toBe('config_not_object');
    expect(() => createModelConfig({ nEmbd: 10, nHead: 4 })).toThrow(EngineError);
  });

  it('records dtype and transformers_version as current transformers writes them', () => {
    const hf = toHfConfig(createModelConfig());
    expect(hf).toMatchObject({ dtype: 'float32', transformers_version: TRANSFORMERS_VERSION });
    expect(hf).not.toHaveProperty('torch_dtype');
    expect(decodeHfConfig({ ...hf, dtype: undefined, torch_dtype: 'float32' }).ok).toBe(true);
  });

  it('refuses GPT-2 attention variants the engine does not compute, with a code', () => {
    const good = toHfConfig(createModelConfig());
    const code = (o: unknown) => {
      const r = decodeHfConfig(o);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code({ ...good, scale_attn_weights: false })).toBe('unsupported_attention_scaling');
    expect(code({ ...good, scale_attn_by_inverse_layer_idx: true })).toBe('unsupported_attention_scaling');
    expect(code({ ...good, add_cross_attention: true })).toBe('unsupported_config');
    expect(code({ ...good, scale_attn_by_inverse_layer_idx: false })).toBe('ok');
  });

  it('accepts reorder_and_upcast_attn: the same float32 attention the engine runs', () => {
    const good = toHfConfig(createModelConfig());
    expect(decodeHfConfig({ ...good, reorder_and_upcast_attn: true })).toEqual(decodeHfConfig(good));
  });
});
