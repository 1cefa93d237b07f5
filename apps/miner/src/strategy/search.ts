// Runs the strategy's trials one after another until the search stops or the time is spent: the planned
// run first, then nextTrial's proposals while they fit, keeping the one with the best validation loss.
// The trial itself (the engine) and what happens to a new best (a checkpoint commit) are injected.

import type { RunDecision } from './plan-run.js';
import { bestTrial, nextTrial, type TrialRecord, type TrialSettings, trialSteps } from './trials.js';

/** What a trial reports back. */
export interface TrialOutcome {
  readonly steps: number;
  readonly keptStep: number;
  readonly stoppedBy: 'completed' | 'deadline';
  readonly bestValidationLoss?: number | undefined;
}

/** A trial to run: its settings and step bound. */
export type TrialPlan = TrialSettings & { readonly maxSteps: number };

/** Inputs of a search. */
export interface SearchOptions<R extends TrialOutcome> {
  readonly decision: RunDecision;
  /** Rows left for training after the validation split. */
  readonly trainRows: number;
  /** When training must be over (ms on `now`'s clock). */
  readonly endMs: number;
  readonly now: () => number;
  readonly runTrial: (plan: TrialPlan) => Promise<R>;
  /** Hears of each finished trial that beat every earlier one. */
  readonly onNewBest?: (outcome: R, record: TrialRecord, plan: TrialPlan) => void;
}

/** The search's result: the best trial's outcome and plan, and every trial's record. */
export interface SearchResult<R> {
  readonly best: R;
  readonly plan: TrialPlan;
  readonly history: readonly TrialRecord[];
}

/** Runs the planned trial, then the search's proposals while they fit; resolves with the best. */
export async function runSearch<R extends TrialOutcome>(o: SearchOptions<R>): Promise<SearchResult<R>> {
  const { decision: d } = o;
  const shape = { trainRows: o.trainRows, batchSize: d.batchSize };
  const planOf = (s: TrialSettings): TrialPlan => ({
    ...s,
    maxSteps: d.maxSteps ?? trialSteps(s, o.trainRows, d.batchSize),
  });
  const history: TrialRecord[] = [];
  let settings: TrialSettings | undefined = { learningRate: d.learningRate, epochs: d.epochs };
  let best: { outcome: R; plan: TrialPlan } | undefined;
  while (settings !== undefined) {
    const plan = planOf(settings);
    const started = o.now();
    const outcome = await o.runTrial(plan);
    const record: TrialRecord = {
      ...settings,
      steps: outcome.steps,
      durationMs: o.now() - started,
      validationLoss: outcome.bestValidationLoss ?? Number.POSITIVE_INFINITY,
      keptStep: outcome.keptStep,
      stoppedBy: outcome.stoppedBy,
    };
    const previous = bestTrial(history);
    history.push(record);
    if (best === undefined || (previous !== undefined && record.validationLoss < previous.validationLoss)) {
      best = { outcome, plan };
      o.onNewBest?.(outcome, record, plan);
    }
    settings = d.search ? nextTrial(history, o.endMs - o.now(), shape) : undefined;
  }
  if (best === undefined) throw new Error('unreachable: the planned trial always runs');
  return { best: best.outcome, plan: best.plan, history };
}
