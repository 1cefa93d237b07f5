// The search the default strategy runs when the first run finishes with time to spare: a greedy walk over
// learning rate and epochs (x2 and x0.5, then x1.41 and x0.71) around the best run so far, judged by validation loss,
// taking only trials whose measured cost fits the time left. Pure; running a trial is the trainer's job.

/** The knobs a trial varies. */
export interface TrialSettings {
  readonly learningRate: number;
  readonly epochs: number;
}

/** A finished trial: its settings, steps, duration and best validation loss. */
export interface TrialRecord extends TrialSettings {
  readonly steps: number;
  readonly durationMs: number;
  readonly validationLoss: number;
  readonly keptStep: number;
  readonly stoppedBy: 'completed' | 'deadline';
}

/** Most trials in one job (each one is also a line in the recipe). */
export const MAX_TRIALS = 16;
/** Estimated cost is multiplied by this before it must fit the time left (shared hosts are noisy). */
const COST_SAFETY = 1.3;
/** Start-up of a trial: a worker thread, kernels and the first validation pass (ms). */
const TRIAL_OVERHEAD_MS = 400;

/** Steps of a trial over `trainRows` rows in batches of `batchSize`. */
export function trialSteps(settings: TrialSettings, trainRows: number, batchSize: number): number {
  return Math.max(1, Math.ceil(settings.epochs * Math.ceil(trainRows / Math.min(batchSize, trainRows))));
}

/** The trial with the lowest validation loss (the first on ties). */
export function bestTrial(history: readonly TrialRecord[]): TrialRecord | undefined {
  return history.reduce<TrialRecord | undefined>(
    (best, t) => (best === undefined || t.validationLoss < best.validationLoss ? t : best),
    undefined,
  );
}

/** Steps the walk tries in turn: doubling and halving first, then the finer sqrt(2). */
const SCALES = [2, Math.SQRT2] as const;

/** Neighbours of `s` at `scale`, most promising first: a higher and lower rate, then more and fewer epochs. */
function neighbours({ learningRate, epochs }: TrialSettings, scale: number): TrialSettings[] {
  const fewer = Math.round((epochs / scale) * 4) / 4;
  return [
    { learningRate: learningRate * scale, epochs },
    { learningRate: learningRate / scale, epochs },
    { learningRate, epochs: Math.round(epochs * scale * 4) / 4 },
    ...(fewer >= 1 ? [{ learningRate, epochs: fewer }] : []),
  ];
}

const same = (a: TrialSettings, b: TrialSettings) =>
  Math.abs(a.learningRate / b.learningRate - 1) < 1e-9 && a.epochs === b.epochs;

/** Measured milliseconds per step over the history (duration includes each trial's overhead). */
function msPerStep(history: readonly TrialRecord[]): number {
  const steps = history.reduce((n, t) => n + t.steps, 0);
  const ms = history.reduce((n, t) => n + Math.max(0, t.durationMs - TRIAL_OVERHEAD_MS), 0);
  return steps > 0 ? ms / steps : Infinity;
}

/** Estimated milliseconds a trial of `steps` takes, from the measured history. */
export function trialCostMs(history: readonly TrialRecord[], steps: number): number {
  return TRIAL_OVERHEAD_MS + steps * msPerStep(history);
}

/**
 * The next trial to run, or undefined to stop: the first untried neighbour of the best trial that fits
 * `remainingMs`. A trial the deadline cut short means the budget is spent, so the search ends there.
 */
export function nextTrial(
  history: readonly TrialRecord[],
  remainingMs: number,
  shape: { readonly trainRows: number; readonly batchSize: number },
): TrialSettings | undefined {
  const best = bestTrial(history);
  if (best === undefined || history.length >= MAX_TRIALS) return undefined;
  if (history.some((t) => t.stoppedBy === 'deadline')) return undefined;
  for (const scale of SCALES) {
    for (const candidate of neighbours(best, scale)) {
      if (history.some((t) => same(t, candidate))) continue;
      const cost = trialCostMs(history, trialSteps(candidate, shape.trainRows, shape.batchSize));
      if (cost * COST_SAFETY <= remainingMs) return candidate;
    }
  }
  return undefined;
}
