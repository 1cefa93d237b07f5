import { describe, expect, it } from 'vitest';
import { RED_TEAM_NAMES } from './red-team/index.js';
import { engineOptions, resolveTrainer } from './trainer-registry.js';

describe('trainer registry', () => {
  it('passes only the hyperparameters that were set to the engine trainer, LoRA ones grouped', () => {
    expect(engineOptions('auto', {})).toEqual({ strategy: 'auto' });
    expect(
      engineOptions('lora', { learningRate: 0.01, loraR: 4, loraTargetModules: ['c_attn'], maxSteps: 9 }),
    ).toEqual({
      strategy: 'lora',
      learningRate: 0.01,
      maxSteps: 9,
      lora: { r: 4, targetModules: ['c_attn'] },
    });
  });

  it('builds the engine trainer for each strategy', () => {
    expect(resolveTrainer({ strategy: 'full' })).toMatchObject({ ok: true, value: { name: 'engine-full' } });
    expect(resolveTrainer({ trainer: 'engine-full' })).toMatchObject({
      ok: true,
      value: { name: 'engine-full' },
    });
    expect(resolveTrainer({})).toMatchObject({ ok: true });
  });

  it('builds every red-team strategy by its red: name, and refuses an unknown one', () => {
    expect(RED_TEAM_NAMES.length).toBeGreaterThan(0);
    expect(resolveTrainer({ strategy: 'red:lazy' })).toMatchObject({ ok: true });
    expect(resolveTrainer({ strategy: 'red:nonsense' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_strategy' },
    });
    expect(resolveTrainer({ strategy: 'red:impostor' })).toMatchObject({
      ok: false,
      error: { code: 'red_team_option_missing' },
    });
  });

  it('refuses an unknown trainer, a command trainer without its program and engine-full with lora', () => {
    expect(resolveTrainer({ trainer: 'copy-base' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_trainer' },
    });
    expect(resolveTrainer({ trainer: 'command' })).toMatchObject({
      ok: false,
      error: { code: 'missing_trainer_command' },
    });
    expect(resolveTrainer({ trainer: 'engine-full', strategy: 'lora' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_strategy' },
    });
  });
});
