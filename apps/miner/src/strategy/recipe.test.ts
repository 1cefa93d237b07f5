import { encodeRecipe } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { planRun } from './plan-run.js';
import { buildRecipe } from './recipe.js';
import { MAX_TRIALS, type TrialRecord } from './trials.js';

const decision = planRun(
  { parameters: 125_000, loraWidthSum: 10_000, rows: 540, budgetMs: 60_000 },
  { strategy: 'lora' },
);
const trial: TrialRecord = {
  learningRate: 2e-3,
  epochs: 8,
  steps: 488,
  durationMs: 2000,
  validationLoss: 1.31,
  keptStep: 470,
  stoppedBy: 'completed',
};

describe('buildRecipe', () => {
  const recipe = buildRecipe({
    decision,
    trial: { ...trial, maxSteps: 488, plannedSteps: 488 },
    outcome: trial,
    validationLoss: 1.31,
    history: Array.from({ length: MAX_TRIALS }, () => trial),
    base: { name: 'arena-nano', sha256: 'a'.repeat(64), parameters: 125_000 },
    rows: 540,
    engineVersion: '0.1.0',
    checkpoint: false,
  });

  it('states every hyperparameter, the seed and the engine under axolotl names', () => {
    expect(recipe).toMatchObject({
      method: 'lora',
      seed: 0,
      engine: '@tuning-arena/engine@0.1.0',
      hyperparameters: {
        learning_rate: 2e-3,
        micro_batch_size: 8,
        lora_r: 8,
        lora_alpha: 16,
        weight_decay: 0,
      },
      data: { val_set_size: 0.1 },
      result: { kept_step: 470 },
    });
  });

  it('fits the protocol bounds even with the longest search', () => {
    expect(encodeRecipe(recipe).ok).toBe(true);
  });
});
