import { describe, expect, it } from 'vitest';
import { planRun } from './plan-run.js';
import { runSearch, type TrialOutcome, type TrialPlan } from './search.js';

const input = { parameters: 125_000, loraWidthSum: 10_000, rows: 540, budgetMs: 60_000 };

/** A fake engine: each step takes 5 ms of fake time; validation loss is best at lr 4e-3. */
function fakeEngine(clock: { t: number }) {
  const ran: TrialPlan[] = [];
  const runTrial = async (plan: TrialPlan): Promise<TrialOutcome> => {
    ran.push(plan);
    clock.t += 5 * plan.maxSteps;
    const loss = 1 + Math.abs(Math.log2(plan.learningRate / 4e-3)) + Math.abs(Math.log2(plan.epochs / 8)) / 4;
    return {
      steps: plan.maxSteps,
      keptStep: plan.maxSteps,
      stoppedBy: 'completed',
      bestValidationLoss: loss,
    };
  };
  return { ran, runTrial };
}

describe('runSearch', () => {
  it('walks to the best learning rate and reports each new best', async () => {
    const clock = { t: 0 };
    const engine = fakeEngine(clock);
    const bests: number[] = [];
    const result = await runSearch({
      decision: planRun(input),
      trainRows: 486,
      endMs: 60_000,
      now: () => clock.t,
      runTrial: engine.runTrial,
      onNewBest: (o) => bests.push(o.bestValidationLoss!),
    });
    expect(result.plan.learningRate).toBeCloseTo(4e-3);
    expect(result.best.bestValidationLoss).toBe(1);
    expect(bests).toEqual([...bests].sort((a, b) => b - a));
    expect(bests.length).toBeGreaterThan(1);
    expect(result.history.length).toBe(engine.ran.length);
    expect(clock.t).toBeLessThanOrEqual(60_000);
  });

  it('runs the planned trial only when the search is off, and no trial that does not fit', async () => {
    const clock = { t: 0 };
    const off = fakeEngine(clock);
    const once = await runSearch({
      decision: planRun(input, { learningRate: 1e-3 }),
      trainRows: 486,
      endMs: 60_000,
      now: () => clock.t,
      runTrial: off.runTrial,
    });
    expect(off.ran).toHaveLength(1);
    expect(once.history).toHaveLength(1);
    const tight = fakeEngine({ t: 0 });
    const clock2 = { t: 0 };
    await runSearch({
      decision: planRun(input),
      trainRows: 486,
      endMs: 3000,
      now: () => clock2.t,
      runTrial: async (p) => {
        clock2.t += 2500;
        return tight.runTrial(p);
      },
    });
    expect(tight.ran).toHaveLength(1);
  });
});
