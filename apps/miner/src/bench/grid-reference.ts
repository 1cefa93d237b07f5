// The strategy benchmark's reference: a full grid over learning rate and epochs around the default
// strategy's choice, each trial trained to completion and the best picked by validation loss (never by
// test loss), to show what spending far more time than the strategy's own search could reach.

import { type Example, type GptModel, type TrainResult, train } from '@tuning-arena/engine';
import { trialOptions } from '../strategy/engine-run.js';
import type { RunDecision } from '../strategy/plan-run.js';
import { trialSteps } from '../strategy/trials.js';

/** Rate and epoch multipliers of the grid. */
const RATE_SCALES = [0.25, 0.5, 1, 2, 4];
const EPOCH_SCALES = [0.5, 1, 2, 4];

/** Trains every grid point on `examples` and returns the one with the lowest validation loss. */
export async function gridReference(
  base: GptModel,
  examples: readonly Example[],
  decision: RunDecision,
): Promise<{ result: TrainResult; learningRate: number; epochs: number; trials: number }> {
  const trainRows = examples.length - Math.floor(examples.length * decision.validationFraction);
  let best: { result: TrainResult; learningRate: number; epochs: number } | undefined;
  let trials = 0;
  for (const rate of RATE_SCALES) {
    for (const scale of EPOCH_SCALES) {
      const settings = { learningRate: decision.learningRate * rate, epochs: decision.epochs * scale };
      const plan = { ...settings, maxSteps: trialSteps(settings, trainRows, decision.batchSize) };
      const { deadline: _none, ...options } = trialOptions(decision, plan, Number.POSITIVE_INFINITY);
      const result = await train(base, [...examples], options);
      trials++;
      const loss = result.bestValidationLoss ?? Number.POSITIVE_INFINITY;
      if (best === undefined || loss < (best.result.bestValidationLoss ?? Number.POSITIVE_INFINITY)) {
        best = { result, ...settings };
      }
    }
  }
  if (best === undefined) throw new Error('empty grid');
  return { ...best, trials };
}
