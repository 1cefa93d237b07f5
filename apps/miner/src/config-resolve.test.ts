import { describe, expect, it } from 'vitest';
import type { KnobValue } from './config-knobs.js';
import { configJson, formatConfig } from './config-print.js';
import { resolveConfig, TRAINING_KEYS, toSettings } from './config-resolve.js';

const file = new Map<string, KnobValue>([
  ['learning_rate', 0.001],
  ['lora_r', 16],
  ['capacity', 3],
]);

describe('effective miner config', () => {
  it('takes a flag over the file and the file over the default, and says which', () => {
    const resolved = resolveConfig({ 'lora-r': '32', threads: '2' }, file);
    if (!resolved.ok) throw new Error(resolved.error.message);
    const config = resolved.value;
    expect(config.get('lora_r')).toEqual({ value: 32, source: 'flag' });
    expect(config.get('learning_rate')).toEqual({ value: 0.001, source: 'file' });
    expect(config.get('capacity')).toEqual({ value: 3, source: 'file' });
    expect(config.get('threads')).toEqual({ value: 2, source: 'flag' });
    expect(config.get('min_time_limit')).toEqual({ value: 30, source: 'default' });
    expect(config.get('lora_alpha')).toEqual({ value: undefined, source: 'default' });
    const settings = toSettings(config);
    expect(settings).toMatchObject({ capacity: 3, threads: 2, strategy: 'auto', trainer: 'engine' });
    expect(settings.training).toEqual({ learningRate: 0.001, loraR: 32 });
  });

  it('refuses a bad flag value the same way as a bad file value, naming the flag', () => {
    expect(resolveConfig({ lr: '-1' }, new Map())).toMatchObject({
      ok: false,
      error: { code: 'invalid_value', key: 'learning_rate', message: expect.stringContaining('--lr') },
    });
    expect(resolveConfig({ 'lora-target-modules': ['c_attn,wq'] }, new Map())).toMatchObject({
      ok: false,
      error: { key: 'lora_target_modules' },
    });
  });

  it('splits comma-separated list flags', () => {
    const resolved = resolveConfig({ 'lora-target-modules': ['c_attn,c_fc', 'c_proj'] }, new Map());
    expect(resolved.ok && resolved.value.get('lora_target_modules')?.value).toEqual([
      'c_attn',
      'c_fc',
      'c_proj',
    ]);
  });

  it('prints every knob with its source, and JSON whose values form a config file', () => {
    const resolved = resolveConfig({ 'lora-r': '32' }, file);
    if (!resolved.ok) throw new Error(resolved.error.message);
    const text = formatConfig(resolved.value, 'miner.yaml');
    expect(text).toMatch(/lora_r\s+32\s+flag\s+--lora-r/);
    expect(text).toMatch(/learning_rate\s+0\.001\s+file\s+--lr/);
    expect(text).toMatch(/capacity\s+3\s+file/);
    expect(text).toMatch(/min_time_limit\s+30\s+default/);
    expect(text).toMatch(/warmup_steps\s+\(strategy chooses\)\s+default/);
    const json = configJson(resolved.value, 'miner.yaml');
    expect(json.values).toMatchObject({ lora_r: 32, learning_rate: 0.001, capacity: 3, min_time_limit: 30 });
    expect(json.values).not.toHaveProperty('warmup_steps');
    expect(json.sources).toMatchObject({ lora_r: 'flag', learning_rate: 'file', warmup_steps: 'default' });
    const again = resolveConfig({}, new Map(Object.entries(json.values) as [string, KnobValue][]));
    expect(again.ok && again.value.get('lora_r')?.value).toBe(32);
  });

  it('carries every training knob that is set into the typed settings', () => {
    const flags = {
      lr: '0.01',
      'lora-r': '4',
      'lora-alpha': '8',
      'lora-dropout': '0',
      'lora-target-modules': ['c_fc'],
      'batch-size': '2',
      'warmup-steps': '1',
      epochs: '2',
      'max-steps': '5',
      'val-set-size': '0.1',
      seed: '3',
    };
    const resolved = resolveConfig(flags, new Map());
    if (!resolved.ok) throw new Error(resolved.error.message);
    expect(Object.keys(toSettings(resolved.value).training)).toHaveLength(TRAINING_KEYS.size);
  });
});
