import { describe, expect, it } from 'vitest';
import { createParamSet, layoutTensors } from '../params.js';
import { clipGradNorm, createAdamW } from './adamw.js';
import { learningRateAt } from './schedule.js';
import { createStepPlanner } from './step-planner.js';

describe('schedule, optimiser and planner', () => {
  it('warms up linearly and decays by cosine to the floor', () => {
    const o = { peak: 1, warmupSteps: 4, totalSteps: 14, minRatio: 0.1 };
    expect(learningRateAt(0, o)).toBeCloseTo(0.2);
    expect(learningRateAt(4, o)).toBeCloseTo(1);
    expect(learningRateAt(9, o)).toBeCloseTo(0.55);
    expect(learningRateAt(14, o)).toBeCloseTo(0.1);
  });

  it('applies AdamW like torch (first step moves each weight by lr, decay decoupled)', () => {
    const { specs } = layoutTensors([
      { name: 'w', shape: [2], decay: true },
      { name: 'b', shape: [1], decay: false },
    ]);
    const p = createParamSet(specs, Float32Array.from([1, -1, 1]));
    const g = createParamSet(specs, Float32Array.from([0.5, -2, 3]));
    createAdamW(p, { weightDecay: 0.1 }).step(g, 0.01);
    expect(p.data[0]).toBeCloseTo(1 * (1 - 0.001) - 0.01, 6);
    expect(p.data[1]).toBeCloseTo(-1 * (1 - 0.001) + 0.01, 6);
    expect(p.data[2]).toBeCloseTo(1 - 0.01, 6);
  });

  it('clips the global gradient norm', () => {
    const g = Float32Array.from([3, 4]);
    expect(clipGradNorm(g, 1)).toBeCloseTo(5);
    expect(Math.hypot(g[0]!, g[1]!)).toBeCloseTo(1, 5);
  });

  it('plans the steps that fit before the deadline, reserving evaluation time and the margin', () => {
    const p = createStepPlanner({
      deadline: 10_000,
      marginMs: 1000,
      maxSteps: Infinity,
      finalEval: true,
    });
    p.recordStep(500); // first step (compilation) is ignored
    for (let i = 0; i < 4; i++) p.recordStep(100);
    p.recordEval(200);
    // 10_000 - 1000 - 1000 (now) - 200 (final eval) = 7800 ms at 100 + 20 ms per step.
    expect(p.plan(5, 1000, 10)).toBe(5 + 65);
    expect(p.canStep(8_600)).toBe(true);
    expect(p.canStep(8_700)).toBe(false);
  });
});
