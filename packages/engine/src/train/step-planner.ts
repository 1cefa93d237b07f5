// Wall-clock planning for training: measures step and evaluation times and decides how many steps fit
// before a deadline with a safety margin. Pure bookkeeping over an injected clock; it runs nothing.

/** Inputs of a step planner. */
interface StepPlannerOptions {
  /** Absolute deadline (ms, same clock as `now`); undefined: no time limit. */
  readonly deadline?: number | undefined;
  /** Time kept free before the deadline (ms). */
  readonly marginMs: number;
  /** Upper bound from epochs / maxSteps (Infinity when only the deadline limits). */
  readonly maxSteps: number;
  /** Whether a final validation pass must also fit. */
  readonly finalEval: boolean;
}

/** Tracks timings and answers "how many steps in total" and "may I take another step". */
interface StepPlanner {
  recordStep(ms: number): void;
  recordEval(ms: number): void;
  /** Mean duration of a training step (ms), excluding the first (compilation, warm-up). */
  readonly stepMs: number;
  /** Longest validation pass so far (ms). */
  readonly evalMs: number;
  /** Planned total number of steps given `done` steps finished at `now`, validating every `evalEvery` steps. */
  plan(done: number, now: number, evalEvery: number): number;
  /** Whether another step (and the reserved evaluations) still fits before the deadline. */
  canStep(now: number): boolean;
}

/** Creates a planner. */
export function createStepPlanner(o: StepPlannerOptions): StepPlanner {
  const steps: number[] = [];
  let evalMs = 0;
  const stepMs = (): number => {
    if (steps.length === 0) return 0;
    const recent = steps.length > 1 ? steps.slice(1).slice(-50) : steps;
    return recent.reduce((a, b) => a + b, 0) / recent.length;
  };
  return {
    recordStep: (ms) => void steps.push(ms),
    recordEval(ms) {
      evalMs = Math.max(evalMs, ms);
    },
    get stepMs() {
      return stepMs();
    },
    get evalMs() {
      return evalMs;
    },
    plan(done, now, evalEvery) {
      if (o.deadline === undefined || steps.length === 0) return o.maxSteps;
      const avail = o.deadline - o.marginMs - now - (o.finalEval ? evalMs : 0);
      const perStep = stepMs() + (Number.isFinite(evalEvery) ? evalMs / evalEvery : 0);
      const more = Math.max(0, Math.floor(avail / Math.max(perStep, 1e-3)));
      return Math.min(o.maxSteps, done + more);
    },
    canStep(now) {
      if (o.deadline === undefined) return true;
      return now + stepMs() * 1.2 + (o.finalEval ? evalMs : 0) <= o.deadline - o.marginMs;
    },
  };
}
