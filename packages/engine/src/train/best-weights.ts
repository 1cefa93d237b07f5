// Best-checkpoint keeping: remembers the trainable weights with the lowest validation loss, reports each
// new best after step 0, and puts the best back at the end. Copies weights; saves nothing to disk.

import type { ParamSet } from '../params.js';

/** The best validation result so far and the weights that gave it. */
export interface BestWeights {
  /** Records a validation pass at `step`; keeps the weights when `loss` beats the best. */
  offer(step: number, loss: number): void;
  /** Lowest validation loss offered (Infinity before any). */
  readonly bestLoss: number;
  /** Step of the kept weights (0 until a pass beats the start). */
  readonly keptStep: number;
  /** Step of the last validation pass offered (undefined before any). */
  readonly validatedAt: number | undefined;
  /** Copies the kept weights back into the trainable set. */
  restore(): void;
}

/** Keeps the best of `trainable`'s weights (starting with the current ones); `onNewBest` hears of each after step 0. */
export function createBestWeights(
  trainable: ParamSet,
  onNewBest: (step: number, loss: number) => void,
): BestWeights {
  const best = trainable.data.slice();
  let bestLoss = Number.POSITIVE_INFINITY;
  let keptStep = 0;
  let validatedAt: number | undefined;
  return {
    offer(step, loss) {
      validatedAt = step;
      if (!(loss < bestLoss)) return;
      bestLoss = loss;
      keptStep = step;
      best.set(trainable.data);
      if (step > 0) onNewBest(step, loss);
    },
    get bestLoss() {
      return bestLoss;
    },
    get keptStep() {
      return keptStep;
    },
    get validatedAt() {
      return validatedAt;
    },
    restore() {
      trainable.data.set(best);
    },
  };
}
