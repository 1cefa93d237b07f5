// In-process trainer: full fine-tune or LoRA, AdamW + warm-up/cosine + clipping, loss on answer tokens,
// validation with best-checkpoint keeping, and a wall-clock budget. Deterministic for a seed.
// Yields to the event loop between steps (so AbortSignal works); the worker wrapper is worker/.

import { createBatchBuilder, type Dataset, encodeDataset } from '../data.js';
import { defaultKernels } from '../default-kernels.js';
import { EngineError } from '../errors.js';
import { checkTokens, evaluateSequences } from '../evaluate.js';
import { createGptRunner } from '../gpt-runner.js';
import { adapterFromWeights, createLoraAdapter, DEFAULT_LORA_CONFIG, type LoraAdapter } from '../lora.js';
import { type GptModel, modelFromWeights } from '../model.js';
import { createParamSet } from '../params.js';
import { createRng, deriveSeed } from '../rng.js';
import { BYTE_TOKENIZER } from '../tokenizer.js';
import { clipFactor, createAdamW, gradNorm } from './adamw.js';
import { epochBatches } from './epoch-order.js';
import { learningRateAt } from './schedule.js';
import { createStepPlanner } from './step-planner.js';
import {
  autoMicroBatch,
  checkOptions,
  splitValidation,
  type TrainOptions,
  type TrainResult,
} from './train-options.js';

export type { TrainCheckpoint, TrainOptions, TrainProgress, TrainResult } from './train-options.js';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Trains `base` on `data` in this thread; resolves with the trained model or adapter. */
export async function train(base: GptModel, data: Dataset, o: TrainOptions = {}): Promise<TrainResult> {
  const kernels = o.kernels ?? defaultKernels();
  const tok = o.tokenizer ?? BYTE_TOKENIZER;
  const now = o.now ?? Date.now;
  const started = now();
  const seed = o.seed ?? 0;
  const cfg = base.config;
  const maxLen = cfg.nPositions;
  const lora = o.method === 'lora';
  const all = encodeDataset(tok, data, maxLen);
  checkTokens(all, cfg.vocabSize);
  const split = splitValidation(all, data, o, seed);
  const trainSeqs = split.train;
  const validSeqs = o.validation ? encodeDataset(tok, o.validation, maxLen) : split.valid!;
  checkTokens(validSeqs, cfg.vocabSize);
  if (trainSeqs.length === 0) throw new EngineError('invalid_input', 'no training examples');
  checkOptions(o);
  const batchSize = Math.min(o.batchSize ?? 8, trainSeqs.length);
  const stepsPerEpoch = Math.ceil(trainSeqs.length / batchSize);
  const maxSteps =
    o.maxSteps ??
    (o.epochs !== undefined
      ? Math.ceil(o.epochs * stepsPerEpoch)
      : o.deadline === undefined
        ? stepsPerEpoch
        : Infinity);
  const hasValid = validSeqs.length > 0;
  // Without a fixed interval, validation follows the plan: about 10 passes per run, yet at most ~10 % of
  // the training time once step and validation times are known.
  const evalInterval = (plannedSteps: number): number => {
    if (!hasValid) return Infinity;
    if (o.evalEvery !== undefined) return o.evalEvery;
    const byPlan = Number.isFinite(plannedSteps) ? Math.max(1, Math.round(plannedSteps / 10)) : 50;
    const byTime = planner.stepMs > 0 ? Math.ceil(planner.evalMs / (0.1 * planner.stepMs)) : 1;
    return Math.max(byPlan, byTime);
  };
  const marginMs =
    o.safetyMarginMs ?? (o.deadline === undefined ? 0 : Math.max(500, 0.05 * (o.deadline - started)));
  const planner = createStepPlanner({ deadline: o.deadline, marginMs, maxSteps, finalEval: hasValid });
  let evalEvery = evalInterval(maxSteps);
  let nextEval = evalEvery;
  let lastEval: { step: number; loss: number } | undefined;
  const warmup =
    o.warmupSteps ?? (Number.isFinite(maxSteps) ? Math.min(100, Math.round(0.05 * maxSteps)) : 20);
  const peak = o.learningRate ?? (lora ? 2e-3 : 5e-4);

  // Working copies live in kernel memory so the products need no copies.
  const baseParams = createParamSet(base.params.specs, kernels.alloc(base.params.data.length));
  baseParams.data.set(base.params.data);
  const start = lora
    ? (o.initialAdapter ?? createLoraAdapter(cfg, o.lora ?? DEFAULT_LORA_CONFIG, seed))
    : undefined;
  const adapter = start
    ? adapterFromWeights(cfg, start.config, kernels.alloc(start.params.data.length))
    : null;
  if (adapter && start) adapter.params.data.set(start.params.data);
  const trainable = adapter ? adapter.params : baseParams;
  const grads = createParamSet(trainable.specs, kernels.alloc(trainable.data.length));
  const best = trainable.data.slice();
  const longest = [...trainSeqs, ...validSeqs].reduce((n, s) => Math.max(n, s.tokens.length), 1);
  const micro = Math.min(batchSize, o.microBatchSize ?? autoMicroBatch(cfg, longest));
  const runner = createGptRunner(kernels, cfg, {
    maxBatch: micro,
    maxSeqLen: longest,
    training: true,
    ...(adapter ? { lora: { sites: adapter.sites, r: adapter.config.r } } : {}),
  });
  const optimizer = createAdamW(trainable, {
    kernels,
    weightDecay: o.weightDecay ?? (lora ? 0 : 0.01),
    ...(o.beta1 === undefined ? {} : { beta1: o.beta1 }),
    ...(o.beta2 === undefined ? {} : { beta2: o.beta2 }),
  });
  const builder = createBatchBuilder(micro, longest, cfg.padTokenId);
  const targetCounts = trainSeqs.map((seq) => seq.targets.reduce((n, t) => n + (t >= 0 ? 1 : 0), 0));
  const rng = createRng(deriveSeed(seed, 'shuffle'));
  const validate = () => {
    const t = now();
    const r = evaluateSequences(runner, baseParams, adapter, validSeqs, micro, longest, cfg.padTokenId);
    planner.recordEval(now() - t);
    return r.meanLoss;
  };
  const history: TrainResult['history'][number][] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let keptStep = 0;
  let batches: number[][] = [];
  let cursor = 0;
  const lengths = trainSeqs.map((seq) => seq.tokens.length);
  let epoch = 0;
  let step = 0;
  let planned = maxSteps;
  let lastLoss = Number.NaN;
  let skippedSteps = 0;
  let timedTokens = 0;
  let timedMs = 0;
  let stoppedBy: TrainResult['stoppedBy'] = 'completed';
  // Plain-memory copies of the trainable weights (kernel buffers are reused and freed).
  const snapshot = (): { model: GptModel; adapter?: LoraAdapter } =>
    adapter && start
      ? { model: base, adapter: adapterFromWeights(cfg, start.config, adapter.params.data.slice()) }
      : { model: modelFromWeights(cfg, baseParams.data.slice()) };
  const keep = (loss: number) => {
    if (loss < bestLoss) {
      bestLoss = loss;
      keptStep = step;
      best.set(trainable.data);
      if (step > 0 && o.onCheckpoint) o.onCheckpoint({ step, validationLoss: loss, ...snapshot() });
    }
  };
  try {
    if (hasValid) {
      const initial = validate();
      keep(initial);
      lastEval = { step: 0, loss: initial };
    }
    while (step < planned) {
      if (o.signal?.aborted)
        throw new EngineError('aborted', 'training was cancelled', { cause: o.signal.reason });
      if (!planner.canStep(now())) {
        stoppedBy = 'deadline';
        break;
      }
      const t0 = now();
      if (cursor >= batches.length) {
        batches = epochBatches(lengths, batchSize, rng, o.groupByLength ?? true);
        cursor = 0;
        epoch++;
      }
      const chosen = batches[cursor++]!;
      let targetCount = 0;
      let real = 0;
      for (const i of chosen) {
        targetCount += targetCounts[i]!;
        real += trainSeqs[i]!.tokens.length;
      }
      let lossSum = 0;
      grads.data.fill(0);
      for (let m = 0; m < chosen.length; m += micro) {
        const batch = builder.build(trainSeqs, chosen.slice(m, m + micro));
        lossSum += runner.forward(baseParams, batch, adapter).lossSum;
        runner.backward(
          adapter ? null : grads,
          adapter ? grads : null,
          targetCount > 0 ? 1 / targetCount : 0,
        );
      }
      const norm = gradNorm(grads.data, kernels);
      const lr = learningRateAt(step, {
        peak,
        warmupSteps: warmup,
        totalSteps: planned,
        minRatio: o.minLrRatio,
      });
      // A non-finite gradient (overflow, bad data) would poison every weight: skip the update instead.
      if (Number.isFinite(norm)) optimizer.step(grads, lr, clipFactor(norm, o.gradClip ?? 1));
      else skippedSteps++;
      step++;
      lastLoss = targetCount > 0 ? lossSum / targetCount : Number.NaN;
      const ms = now() - t0;
      planner.recordStep(ms);
      if (step > 1) {
        timedMs += ms;
        timedTokens += real;
      }
      // Re-plan often early (first timings are noisy); the plan may grow until 80 % of it is done, then only
      // shrink, so the end of the cosine schedule stays put.
      if (o.deadline !== undefined && (step <= 30 ? step % 3 === 0 : step % 10 === 0)) {
        const next = Math.max(step, planner.plan(step, now(), evalEvery));
        planned = step < 0.8 * planned || !Number.isFinite(planned) ? next : Math.min(planned, next);
        if (o.evalEvery === undefined && hasValid) {
          evalEvery = evalInterval(planned);
          nextEval = Math.min(nextEval, step + evalEvery);
        }
      }
      let validationLoss: number | undefined;
      if (step >= nextEval && step < planned) {
        validationLoss = validate();
        keep(validationLoss);
        lastEval = { step, loss: validationLoss };
        nextEval = step + evalEvery;
      }
      history.push({ step, loss: lastLoss, validationLoss });
      const tps = timedMs > 0 ? (timedTokens * 1000) / timedMs : 0;
      o.onProgress?.({
        step,
        plannedSteps: planned,
        epoch,
        loss: lastLoss,
        learningRate: lr,
        gradNorm: norm,
        tokensPerSecond: tps,
        elapsedMs: now() - started,
        etaMs: Number.isFinite(planned) ? (planned - step) * planner.stepMs : Number.POSITIVE_INFINITY,
        validationLoss,
      });
      await yieldToEventLoop();
    }
    if (hasValid) {
      if (lastEval?.step !== step) {
        const finalLoss = validate();
        history.push({ step, loss: lastLoss, validationLoss: finalLoss });
        keep(finalLoss);
      }
      trainable.data.set(best);
    } else {
      keptStep = step;
    }
    const result = {
      skippedSteps,
      steps: step,
      stoppedBy,
      ...(hasValid ? { bestValidationLoss: bestLoss } : {}),
      keptStep,
      finalTrainLoss: lastLoss,
      tokensPerSecond: timedMs > 0 ? (timedTokens * 1000) / timedMs : 0,
      history,
    };
    return { ...result, ...snapshot() };
  } finally {
    runner.release();
    optimizer.release();
    if (kernels.free) {
      for (const buf of [baseParams.data, grads.data, adapter?.params.data]) if (buf) kernels.free(buf);
    }
  }
}
