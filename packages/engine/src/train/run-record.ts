// What a run reports about itself: per-step history, the last training loss, skipped steps and input
// throughput (the first step, which compiles and warms up, excluded), and the result assembled from them.
// Records numbers only; the weights in a result come from the caller's snapshot.

import type { LoraAdapter } from '../lora.js';
import type { GptModel } from '../model.js';
import type { TrainResult } from './train-options.js';

/** One finished step as the record needs it. */
interface StepEntry {
  readonly step: number;
  readonly loss: number;
  /** Wall time of the step (ms). */
  readonly ms: number;
  /** Input tokens of its batch. */
  readonly tokens: number;
  readonly applied: boolean;
  readonly validationLoss: number | undefined;
}

/** The running record of a training run. */
export interface RunRecord {
  /** Records a finished step (and its validation loss when it validated). */
  step(entry: StepEntry): void;
  /** Records the validation pass after the last step. */
  finalEval(step: number, validationLoss: number): void;
  /** Input tokens per second over the steps after the first (0 before any). */
  readonly tokensPerSecond: number;
  /** Mean loss of the last step's batch (NaN before any). */
  readonly lastLoss: number;
  readonly history: TrainResult['history'];
  readonly skippedSteps: number;
}

/** Creates an empty record. */
export function createRunRecord(): RunRecord {
  const history: TrainResult['history'][number][] = [];
  let lastLoss = Number.NaN;
  let skippedSteps = 0;
  let timedTokens = 0;
  let timedMs = 0;
  return {
    step(e) {
      if (!e.applied) skippedSteps++;
      lastLoss = e.loss;
      if (e.step > 1) {
        timedMs += e.ms;
        timedTokens += e.tokens;
      }
      history.push({ step: e.step, loss: e.loss, validationLoss: e.validationLoss });
    },
    finalEval(step, validationLoss) {
      history.push({ step, loss: lastLoss, validationLoss });
    },
    get tokensPerSecond() {
      return timedMs > 0 ? (timedTokens * 1000) / timedMs : 0;
    },
    get lastLoss() {
      return lastLoss;
    },
    history,
    get skippedSteps() {
      return skippedSteps;
    },
  };
}

/** How a run ended, besides its record. */
interface RunEnd {
  readonly steps: number;
  readonly stoppedBy: TrainResult['stoppedBy'];
  /** The best validation loss; undefined when the run had no validation data. */
  readonly bestValidationLoss: number | undefined;
  readonly keptStep: number;
}

/** The result of a run: its record, how it ended and the kept weights. */
export function trainResult(
  record: RunRecord,
  end: RunEnd,
  weights: { model: GptModel; adapter?: LoraAdapter },
): TrainResult {
  const result = {
    skippedSteps: record.skippedSteps,
    steps: end.steps,
    stoppedBy: end.stoppedBy,
    ...(end.bestValidationLoss === undefined ? {} : { bestValidationLoss: end.bestValidationLoss }),
    keptStep: end.keptStep,
    finalTrainLoss: record.lastLoss,
    tokensPerSecond: record.tokensPerSecond,
    history: record.history,
  };
  return { ...result, ...weights };
}
