// In-process trainer: full fine-tune or LoRA, AdamW + warm-up/cosine + clipping, loss on answer tokens,
// validation with best-checkpoint keeping, and a wall-clock budget. Deterministic for a seed.
// Yields to the event loop between steps (so AbortSignal works); the worker wrapper is worker/. The steps
// (plan, state, batch order, one update, schedule, best weights, record) are the modules beside it.

import type { Dataset } from '../data.js';
import { defaultKernels } from '../default-kernels.js';
import { EngineError } from '../errors.js';
import { evaluateSequences } from '../evaluate.js';
import type { GptModel } from '../model.js';
import { createRng, deriveSeed } from '../rng.js';
import { createBatchCursor } from './batch-cursor.js';
import { createBestWeights } from './best-weights.js';
import { resolveRunPlan } from './run-plan.js';
import { createRunRecord, trainResult } from './run-record.js';
import { createStepPlanner } from './step-planner.js';
import { createStepSchedule } from './step-schedule.js';
import type { TrainOptions, TrainProgress, TrainResult } from './train-options.js';
import { createTrainState } from './train-state.js';
import { countTargets, runTrainStep, type TrainStepOutcome } from './train-step.js';

export type { TrainCheckpoint, TrainOptions, TrainProgress, TrainResult } from './train-options.js';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Trains `base` on `data` in this thread; resolves with the trained model or adapter. */
export async function train(base: GptModel, data: Dataset, o: TrainOptions = {}): Promise<TrainResult> {
  const run = openRun(base, data, o);
  try {
    if (run.plan.hasValid) run.best.offer(0, run.validate());
    const end = await stepLoop(run);
    return finishRun(run, end.steps, end.stoppedBy);
  } finally {
    run.state.release();
  }
}

type Run = ReturnType<typeof openRun>;

/** Resolves the plan and wires the pieces of a run (allocating its state last). */
function openRun(base: GptModel, data: Dataset, o: TrainOptions) {
  const kernels = o.kernels ?? defaultKernels();
  const now = o.now ?? Date.now;
  const started = now();
  const plan = resolveRunPlan(base, data, o, started);
  const { trainSeqs, hasValid } = plan;
  const planner = createStepPlanner({
    deadline: o.deadline,
    marginMs: plan.marginMs,
    maxSteps: plan.maxSteps,
    finalEval: hasValid,
  });
  const schedule = createStepSchedule(planner, {
    maxSteps: plan.maxSteps,
    deadline: o.deadline !== undefined,
    hasValid,
    evalEvery: o.evalEvery,
  });
  const state = createTrainState(kernels, base, o, plan);
  const settings = {
    kernels,
    trainSeqs,
    targetCounts: countTargets(trainSeqs),
    micro: plan.micro,
    peak: plan.peak,
    warmup: plan.warmup,
    minLrRatio: o.minLrRatio,
    gradClip: o.gradClip,
  };
  const lengths = trainSeqs.map((seq) => seq.tokens.length);
  const rng = createRng(deriveSeed(plan.seed, 'shuffle'));
  const batches = createBatchCursor(lengths, plan.batchSize, rng, o.groupByLength ?? true);
  const best = createBestWeights(state.trainable, (step, validationLoss) =>
    o.onCheckpoint?.({ step, validationLoss, ...state.snapshot() }),
  );
  const validate = (): number => {
    const t = now();
    const { runner, baseParams, adapter } = state;
    const { micro, longest } = plan;
    const r = evaluateSequences(
      runner,
      baseParams,
      adapter,
      plan.validSeqs,
      micro,
      longest,
      base.config.padTokenId,
    );
    planner.recordEval(now() - t);
    return r.meanLoss;
  };
  return {
    o,
    now,
    started,
    plan,
    planner,
    schedule,
    state,
    settings,
    batches,
    best,
    validate,
    record: createRunRecord(),
  };
}

/** Takes steps until the plan is done or the deadline is near; throws EngineError('aborted') on the signal. */
async function stepLoop(run: Run): Promise<{ steps: number; stoppedBy: TrainResult['stoppedBy'] }> {
  const { o, now, planner, schedule } = run;
  let step = 0;
  while (step < schedule.planned) {
    if (o.signal?.aborted)
      throw new EngineError('aborted', 'training was cancelled', { cause: o.signal.reason });
    if (!planner.canStep(now())) return { steps: step, stoppedBy: 'deadline' };
    const t0 = now();
    const done = runTrainStep(run.state, run.settings, run.batches.next(), step, schedule.planned);
    step++;
    const ms = now() - t0;
    planner.recordStep(ms);
    schedule.replan(step, now);
    let validationLoss: number | undefined;
    if (schedule.takeEval(step)) {
      validationLoss = run.validate();
      run.best.offer(step, validationLoss);
    }
    run.record.step({
      step,
      loss: done.loss,
      ms,
      tokens: done.tokens,
      applied: done.applied,
      validationLoss,
    });
    if (o.onProgress) o.onProgress(progressOf(run, step, done, validationLoss));
    await yieldToEventLoop();
  }
  return { steps: step, stoppedBy: 'completed' };
}

/** The progress report after step `step`. */
function progressOf(
  run: Run,
  step: number,
  done: TrainStepOutcome,
  validationLoss: number | undefined,
): TrainProgress {
  const planned = run.schedule.planned;
  return {
    step,
    plannedSteps: planned,
    epoch: run.batches.epoch,
    loss: done.loss,
    learningRate: done.learningRate,
    gradNorm: done.gradNorm,
    tokensPerSecond: run.record.tokensPerSecond,
    elapsedMs: run.now() - run.started,
    etaMs: Number.isFinite(planned) ? (planned - step) * run.planner.stepMs : Number.POSITIVE_INFINITY,
    validationLoss,
  };
}

/** Validates once more unless the last step did, puts the best weights back and assembles the result. */
function finishRun(run: Run, steps: number, stoppedBy: TrainResult['stoppedBy']): TrainResult {
  const { best, record } = run;
  const { hasValid } = run.plan;
  if (hasValid) {
    if (best.validatedAt !== steps) {
      const finalLoss = run.validate();
      record.finalEval(steps, finalLoss);
      best.offer(steps, finalLoss);
    }
    best.restore();
  }
  const end = {
    steps,
    stoppedBy,
    bestValidationLoss: hasValid ? best.bestLoss : undefined,
    keptStep: hasValid ? best.keptStep : steps,
  };
  return trainResult(record, end, run.state.snapshot());
}
