// When a run validates and how many steps it plans: the planned total (re-planned against a deadline on a
// fixed cadence) and the validation interval that follows it. Bookkeeping only; it times and runs nothing.

import type { createStepPlanner } from './step-planner.js';

type StepPlanner = ReturnType<typeof createStepPlanner>;

/** The settings the schedule follows. */
interface StepScheduleOptions {
  /** Bound from maxSteps or epochs (Infinity when only the deadline limits). */
  readonly maxSteps: number;
  /** Whether a deadline bounds the run (only then is the plan revisited). */
  readonly deadline: boolean;
  /** Whether there is validation data at all. */
  readonly hasValid: boolean;
  /** A fixed validation interval from the options; undefined: follow the plan. */
  readonly evalEvery?: number | undefined;
}

/** The planned total and the validation cadence of a run, updated after each step. */
export interface StepSchedule {
  /** Planned total number of steps. */
  readonly planned: number;
  /** Steps between validation passes (Infinity without validation data). */
  readonly evalEvery: number;
  /** After step `step` has finished: re-plans on its cadence when a deadline bounds the run. */
  replan(step: number, now: () => number): void;
  /** Whether step `step` (just finished) validates; when it does, the next pass is due evalEvery later. */
  takeEval(step: number): boolean;
}

/**
 * Steps between validation passes for a plan of `plannedSteps`: about 10 passes per run (50 steps when the
 * plan is unbounded), yet at most ~10 % of the training time once step and validation times are known.
 */
export function evalInterval(
  plannedSteps: number,
  o: Omit<StepScheduleOptions, 'maxSteps' | 'deadline'>,
  planner: Pick<StepPlanner, 'stepMs' | 'evalMs'>,
): number {
  if (!o.hasValid) return Infinity;
  if (o.evalEvery !== undefined) return o.evalEvery;
  const byPlan = Number.isFinite(plannedSteps) ? Math.max(1, Math.round(plannedSteps / 10)) : 50;
  const byTime = planner.stepMs > 0 ? Math.ceil(planner.evalMs / (0.1 * planner.stepMs)) : 1;
  return Math.max(byPlan, byTime);
}

/** Whether step `step` re-plans: every 3rd of the first 30 (first timings are noisy), then every 10th. */
export function isReplanStep(step: number): boolean {
  return step <= 30 ? step % 3 === 0 : step % 10 === 0;
}

/**
 * The new planned total after step `step`, given the planner's `proposal`: the plan may grow until 80 % of
 * it is done, then only shrink, so the end of the cosine schedule stays put.
 */
export function nextPlan(step: number, planned: number, proposal: number): number {
  const next = Math.max(step, proposal);
  return step < 0.8 * planned || !Number.isFinite(planned) ? next : Math.min(planned, next);
}

/** Creates the schedule of a run timed by `planner`. */
export function createStepSchedule(planner: StepPlanner, o: StepScheduleOptions): StepSchedule {
  let planned = o.maxSteps;
  let evalEvery = evalInterval(planned, o, planner);
  let nextEval = evalEvery;
  return {
    get planned() {
      return planned;
    },
    get evalEvery() {
      return evalEvery;
    },
    replan(step, now) {
      if (!o.deadline || !isReplanStep(step)) return;
      planned = nextPlan(step, planned, planner.plan(step, now(), evalEvery));
      if (o.evalEvery === undefined && o.hasValid) {
        evalEvery = evalInterval(planned, o, planner);
        nextEval = Math.min(nextEval, step + evalEvery);
      }
    },
    takeEval(step) {
      if (step < nextEval || step >= planned) return false;
      nextEval = step + evalEvery;
      return true;
    },
  };
}
