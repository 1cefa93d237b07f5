import { describe, expect, it } from 'vitest';
import type { createStepPlanner } from './step-planner.js';
import { createStepSchedule, evalInterval, isReplanStep, nextPlan } from './step-schedule.js';

type Planner = ReturnType<typeof createStepPlanner>;

// A planner whose timings and proposals the test sets.
const fakePlanner = (o: { stepMs?: number; evalMs?: number; proposal?: number } = {}) => {
  const calls: number[][] = [];
  const planner: Planner = {
    recordStep: () => {},
    recordEval: () => {},
    stepMs: o.stepMs ?? 0,
    evalMs: o.evalMs ?? 0,
    plan: (done, now, evalEvery) => {
      calls.push([done, now, evalEvery]);
      return o.proposal ?? 1000;
    },
    canStep: () => true,
  };
  return { planner, calls };
};

describe('step schedule', () => {
  it('validates about ten times a run, but spends at most ~10 % of the time on it', () => {
    const none = { stepMs: 0, evalMs: 0 };
    expect(evalInterval(100, { hasValid: true }, none)).toBe(10);
    expect(evalInterval(4, { hasValid: true }, none)).toBe(1);
    expect(evalInterval(Infinity, { hasValid: true }, none)).toBe(50);
    // A pass costs 30 steps: once every 300 steps at the most.
    expect(evalInterval(100, { hasValid: true }, { stepMs: 10, evalMs: 300 })).toBe(300);
    expect(evalInterval(100, { hasValid: true, evalEvery: 7 }, { stepMs: 10, evalMs: 300 })).toBe(7);
    expect(evalInterval(100, { hasValid: false, evalEvery: 7 }, none)).toBe(Infinity);
  });

  it('re-plans every 3rd step up to 30, then every 10th', () => {
    const steps = Array.from({ length: 60 }, (_, i) => i + 1).filter(isReplanStep);
    expect(steps).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 40, 50, 60]);
  });

  it('lets the plan grow until 80 % is done, then only shrink, never below the steps taken', () => {
    expect(nextPlan(10, 100, 150)).toBe(150);
    expect(nextPlan(10, 100, 50)).toBe(50);
    expect(nextPlan(85, 100, 150)).toBe(100);
    expect(nextPlan(85, 100, 90)).toBe(90);
    expect(nextPlan(85, 100, 20)).toBe(85);
    expect(nextPlan(85, Infinity, 150)).toBe(150);
  });

  it('validates every evalEvery steps, never on or after the last planned step', () => {
    const { planner } = fakePlanner();
    const schedule = createStepSchedule(planner, {
      maxSteps: 9,
      deadline: false,
      hasValid: true,
      evalEvery: 3,
    });
    const taken = Array.from({ length: 9 }, (_, i) => i + 1).filter((step) => schedule.takeEval(step));
    // Step 9 is the last: the pass after the loop validates it.
    expect(taken).toEqual([3, 6]);
    const noValid = createStepSchedule(planner, { maxSteps: 10, deadline: false, hasValid: false });
    expect([1, 2, 3, 4].some((step) => noValid.takeEval(step))).toBe(false);
  });

  it('asks the planner only under a deadline and on re-plan steps, and follows its answer', () => {
    const { planner, calls } = fakePlanner({ proposal: 40, stepMs: 10, evalMs: 2 });
    let clock = 100;
    const now = () => (clock += 1);
    const unbounded = createStepSchedule(planner, { maxSteps: 200, deadline: false, hasValid: true });
    unbounded.replan(3, now);
    expect([calls.length, unbounded.planned]).toEqual([0, 200]);
    const timed = createStepSchedule(planner, { maxSteps: Infinity, deadline: true, hasValid: true });
    expect(timed.evalEvery).toBe(50);
    timed.replan(2, now);
    expect(calls).toEqual([]);
    timed.replan(3, now);
    expect(calls).toEqual([[3, 101, 50]]);
    // The interval follows the new plan of 40 steps (4), and the next pass moves up to step 3 + 4.
    expect([timed.planned, timed.evalEvery]).toEqual([40, 4]);
    expect([4, 5, 6, 7].filter((step) => timed.takeEval(step))).toEqual([7]);
  });
});
