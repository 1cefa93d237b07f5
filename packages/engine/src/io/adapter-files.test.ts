import { describe, expect, it } from 'vitest';
import { DEFAULT_LORA_CONFIG } from '../lora.js';
import { decodePeftConfig, toPeftConfig } from './adapter-files.js';

const code = (json: unknown) => {
  const r = decodePeftConfig(json);
  return r.ok ? 'ok' : r.error.code;
};

describe('adapter_config.json', () => {
  const good = toPeftConfig(DEFAULT_LORA_CONFIG, { name: 'arena-nano' });

  it('reads what it writes, PEFT defaults of the unsupported fields included', () => {
    expect(good).toMatchObject({ use_dora: false, use_rslora: false, alpha_pattern: {}, rank_pattern: {} });
    expect(decodePeftConfig(good)).toEqual({
      ok: true,
      value: { lora: DEFAULT_LORA_CONFIG, baseModelNameOrPath: 'arena-nano' },
    });
    expect(code({ ...good, layers_to_transform: null, modules_to_save: [], lora_bias: false })).toBe('ok');
  });

  it('refuses LoRA variants the engine does not compute, with a code', () => {
    expect(code({ ...good, use_rslora: true })).toBe('unsupported_lora_variant');
    expect(code({ ...good, use_dora: true })).toBe('unsupported_lora_variant');
    expect(code({ ...good, lora_bias: true })).toBe('unsupported_lora_variant');
  });

  it('refuses per-module ranks, alphas and layer selections, with a code', () => {
    expect(code({ ...good, alpha_pattern: { c_attn: 32 } })).toBe('unsupported_lora_pattern');
    expect(code({ ...good, rank_pattern: { 'h.0.attn.c_attn': 4 } })).toBe('unsupported_lora_pattern');
    expect(code({ ...good, layers_to_transform: [0] })).toBe('unsupported_lora_pattern');
    expect(code({ ...good, modules_to_save: ['lm_head'] })).toBe('unsupported_option');
    expect(code({ ...good, bias: 'all' })).toBe('unsupported_option');
  });

  it('refuses a target_modules string, which PEFT full-matches as a regular expression', () => {
    expect(code({ ...good, target_modules: 'c_attn' })).toBe('unsupported_target_modules');
    expect(code({ ...good, target_modules: '.*\\.c_attn' })).toBe('unsupported_target_modules');
    expect(code({ ...good, target_modules: [] })).toBe('invalid_target_modules');
  });
});
