import { describe, expect, it } from 'vitest';
import { countParameters, createModelConfig, decodeHfConfig, MODEL_PRESETS, toHfConfig } from './config.js';
import { EngineError } from './errors.js';
import { createModel } from './model.js';
import { BYTE_TOKENIZER, decodeTokenizerJson, toTokenizerJson } from './tokenizer.js';

describe('config and tokenizer', () => {
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

  it('encodes text as UTF-8 bytes and round-trips tokenizer.json', () => {
    expect(BYTE_TOKENIZER.encode('é')).toEqual([0xc3, 0xa9]);
    expect(BYTE_TOKENIZER.decode([104, 105, BYTE_TOKENIZER.eosId])).toBe('hi');
    const back = decodeTokenizerJson(JSON.parse(JSON.stringify(toTokenizerJson(BYTE_TOKENIZER))));
    expect(back.ok && back.value.sepId).toBe(259);
    const bad = decodeTokenizerJson({
      ...toTokenizerJson(BYTE_TOKENIZER),
      special_tokens: { bos: 1, eos: 2, pad: 3, sep: 4 },
    });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('invalid_special_tokens');
  });
});
