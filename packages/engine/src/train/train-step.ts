// One optimiser step: forward and backward over the micro-batches of a batch (gradients summed, loss
// averaged over its answer tokens), the learning rate for the step, clipping and the AdamW update.
// A step whose gradient is not finite is skipped rather than applied. No timing, no validation.

import type { Sequence } from '../data.js';
import type { Kernels } from '../kernels/types.js';
import { clipFactor, gradNorm } from './adamw.js';
import type { RunPlan } from './run-plan.js';
import { learningRateAt } from './schedule.js';
import type { TrainState } from './train-state.js';

/** The settings a step reads besides the run's state: the plan's sequences, sizes and rates, and more. */
export interface TrainStepSettings extends Pick<RunPlan, 'trainSeqs' | 'micro' | 'peak' | 'warmup'> {
  readonly kernels: Kernels;
  /** Answer tokens of each training sequence. */
  readonly targetCounts: readonly number[];
  readonly minLrRatio?: number | undefined;
  /** Global gradient-norm clip (default 1). */
  readonly gradClip?: number | undefined;
}

/** What one step did. */
export interface TrainStepOutcome {
  /** Mean loss per answer token of the batch (NaN when it has none). */
  readonly loss: number;
  readonly gradNorm: number;
  readonly learningRate: number;
  /** Input tokens of the batch, padding excluded. */
  readonly tokens: number;
  /** False when the gradient was not finite and the update was skipped. */
  readonly applied: boolean;
}

/** Answer tokens (targets >= 0) of each sequence. */
export function countTargets(seqs: readonly Sequence[]): number[] {
  return seqs.map((seq) => seq.targets.reduce((n, t) => n + (t >= 0 ? 1 : 0), 0));
}

type StepState = Pick<TrainState, 'baseParams' | 'adapter' | 'grads' | 'runner' | 'optimizer' | 'builder'>;

/** Trains on the sequences `chosen` as step `step` (0-based) of a plan of `planned` steps. */
export function runTrainStep(
  state: StepState,
  s: TrainStepSettings,
  chosen: readonly number[],
  step: number,
  planned: number,
): TrainStepOutcome {
  const { adapter, grads, runner } = state;
  let targetCount = 0;
  let tokens = 0;
  for (const i of chosen) {
    targetCount += s.targetCounts[i]!;
    tokens += s.trainSeqs[i]!.tokens.length;
  }
  let lossSum = 0;
  grads.data.fill(0);
  for (let m = 0; m < chosen.length; m += s.micro) {
    const batch = state.builder.build(s.trainSeqs, chosen.slice(m, m + s.micro));
    lossSum += runner.forward(state.baseParams, batch, adapter).lossSum;
    runner.backward(adapter ? null : grads, adapter ? grads : null, targetCount > 0 ? 1 / targetCount : 0);
  }
  const norm = gradNorm(grads.data, s.kernels);
  const lr = learningRateAt(step, {
    peak: s.peak,
    warmupSteps: s.warmup,
    totalSteps: planned,
    minRatio: s.minLrRatio,
  });
  // A non-finite gradient (overflow, bad data) would poison every weight: skip the update instead.
  const applied = Number.isFinite(norm);
  if (applied) state.optimizer.step(grads, lr, clipFactor(norm, s.gradClip ?? 1));
  return {
    loss: targetCount > 0 ? lossSum / targetCount : Number.NaN,
    gradNorm: norm,
    learningRate: lr,
    tokens,
    applied,
  };
}
