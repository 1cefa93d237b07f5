import { describe, expect, it } from 'vitest';
import {
  chooseEpochs,
  chooseLearningRate,
  chooseValidationFraction,
  FULL_MAX_PARAMETERS,
  planRun,
} from './plan-run.js';
import { artifactBytes, FIXED_RESERVE_MS, reserveMs } from './reserve.js';

const nano = { parameters: 125_000, loraWidthSum: 10_000, rows: 540, budgetMs: 60_000 };

describe('planRun', () => {
  it('fine-tunes a small model fully and a large one with LoRA', () => {
    expect(planRun(nano).method).toBe('full');
    expect(planRun({ ...nano, parameters: FULL_MAX_PARAMETERS + 1 }).method).toBe('lora');
  });

  it('chooses LoRA when shipping full weights would eat the budget', () => {
    // 5M parameters are 20 MB of float32: about 1.4 s to pack and upload, too much of a 10 s job.
    expect(planRun({ ...nano, parameters: 5_000_000, budgetMs: 10_000 }).method).toBe('lora');
    expect(planRun({ ...nano, parameters: 5_000_000, budgetMs: 600_000 }).method).toBe('full');
  });

  it('keeps every option that is set and says why it chose the others', () => {
    const d = planRun(nano, { strategy: 'lora', lora: { r: 4 }, learningRate: 0.01, epochs: 3, seed: 7 });
    expect(d).toMatchObject({ method: 'lora', learningRate: 0.01, epochs: 3, seed: 7, search: false });
    expect(d.lora).toEqual({ r: 4, alpha: 8, targetModules: ['c_attn', 'c_proj', 'c_fc'] });
    expect(d.reasons.join(' ')).not.toMatch(/epochs|learning rate/);
    expect(planRun(nano).reasons.length).toBeGreaterThanOrEqual(3);
  });

  it('maps the deprecated method onto the strategy', () => {
    expect(planRun(nano, { method: 'lora' }).method).toBe('lora');
    expect(planRun({ ...nano, parameters: 1e9 }, { method: 'full' }).method).toBe('full');
  });

  it('searches only with a validation split and free learning rate and epochs', () => {
    expect(planRun(nano).search).toBe(true);
    expect(planRun({ ...nano, rows: 10 }).search).toBe(false);
    expect(planRun(nano, { maxSteps: 5 }).search).toBe(false);
  });
});

describe('the choices', () => {
  it('runs more epochs on fewer rows, within 2..16', () => {
    expect(chooseEpochs(540)).toBe(8);
    expect(chooseEpochs(50_000)).toBe(2);
    expect(chooseEpochs(5)).toBe(16);
    expect(chooseEpochs(100)).toBeGreaterThan(chooseEpochs(2000));
  });

  it('lowers the learning rate for larger models, LoRA above full', () => {
    expect(chooseLearningRate('full', 1e5)).toBe(1e-3);
    expect(chooseLearningRate('full', 1e8)).toBeLessThan(1e-3);
    expect(chooseLearningRate('lora', 1e8)).toBeGreaterThan(chooseLearningRate('full', 1e8));
  });

  it('holds out 10 % of the rows, at most 500, none under 20', () => {
    expect(chooseValidationFraction(540)).toBe(0.1);
    expect(chooseValidationFraction(50_000) * 50_000).toBe(500);
    expect(chooseValidationFraction(19)).toBe(0);
  });

  it('reserves time that grows with the artifact: full weights more than an adapter', () => {
    const big = { parameters: 100_000_000, loraWidthSum: 500_000 };
    expect(reserveMs(artifactBytes('full', big))).toBeGreaterThan(
      reserveMs(artifactBytes('lora', big)) + 10_000,
    );
    expect(reserveMs(artifactBytes('lora', { parameters: 1, loraWidthSum: 1 }))).toBeLessThan(
      FIXED_RESERVE_MS + 100,
    );
  });
});
