// The default strategy's first decisions, made before any step: LoRA or full fine-tuning, rank, learning
// rate, batch, epochs and validation split from the model size, data size and time budget, with each
// choice's reason. Pure; timing the steps and searching over trials is trials.ts' and the engine's job.

import { DEFAULT_LORA_CONFIG } from '@tuning-arena/engine';
import type { EngineTrainerOptions } from './engine-options.js';
import { artifactBytes, reserveMs } from './reserve.js';

/** What the strategy knows about a job before training it. */
export interface PlanInput {
  /** Parameters of the base model. */
  readonly parameters: number;
  /** LoRA parameters per unit of rank over the default target modules (sum of in + out widths). */
  readonly loraWidthSum: number;
  /** Training rows in the job's train file. */
  readonly rows: number;
  /** Time from now to the deadline (ms). */
  readonly budgetMs: number;
}

/** The choices of one run, every hyperparameter resolved. */
export interface RunDecision {
  readonly method: 'lora' | 'full';
  readonly lora: { readonly r: number; readonly alpha: number; readonly targetModules: readonly string[] };
  readonly learningRate: number;
  readonly batchSize: number;
  /** Passes over the training rows; the step bound is epochs x steps per epoch unless maxSteps is set. */
  readonly epochs: number;
  readonly maxSteps: number | undefined;
  /** undefined: the engine's default (5 % of the planned steps, at most 100). */
  readonly warmupSteps: number | undefined;
  readonly validationFraction: number;
  readonly seed: number;
  /** Time kept before the deadline for packing and committing (ms). */
  readonly reserveMs: number;
  /** Whether the strategy may try other learning rates and epoch counts when time is left. */
  readonly search: boolean;
  /** One line per choice the strategy made itself (overrides are not listed). */
  readonly reasons: readonly string[];
}

/** Largest model the strategy fine-tunes fully: AdamW keeps three copies of every weight. */
export const FULL_MAX_PARAMETERS = 20_000_000;
/** Most of the budget a full artifact's extra packing and upload time may take before LoRA is chosen. */
const FULL_MAX_RESERVE_SHARE = 0.05;
/** Most validation rows: more only make every validation pass slower. */
const MAX_VALIDATION_ROWS = 500;
/** The engine's own default: every Conv1D layer of every block. */
export const DEFAULT_TARGET_MODULES = DEFAULT_LORA_CONFIG.targetModules;

/** Full fine-tuning for small models whose weights pack and upload in a small share of the budget. */
function chooseMethod(input: PlanInput): { method: 'lora' | 'full'; why: string } {
  if (input.parameters > FULL_MAX_PARAMETERS)
    return { method: 'lora', why: `lora: ${input.parameters} parameters exceed ${FULL_MAX_PARAMETERS}` };
  const extra = reserveMs(artifactBytes('full', input)) - reserveMs(artifactBytes('lora', input));
  const share = extra / input.budgetMs;
  if (share > FULL_MAX_RESERVE_SHARE)
    return {
      method: 'lora',
      why: `lora: a full artifact would take ${(100 * share).toFixed(0)} % of the budget`,
    };
  return { method: 'full', why: 'full: the model is small enough to train and ship every weight' };
}

/**
 * Epochs from the data size: small sets need more passes, large ones fewer (8 at ~500 rows, 3 at ~3,500,
 * never under 2 or over 16); the trial search then tries half and double when time allows.
 */
export function chooseEpochs(rows: number): number {
  return Math.min(16, Math.max(2, Math.round(8 * Math.sqrt(500 / Math.max(1, rows)))));
}

/** Peak rate: 1e-3 full / 2e-3 LoRA up to 1M parameters, falling with the square root of the size beyond. */
export function chooseLearningRate(method: 'lora' | 'full', parameters: number): number {
  const peak = method === 'full' ? 1e-3 : 2e-3;
  const floor = method === 'full' ? 2e-5 : 1e-4;
  return Math.max(floor, peak * Math.min(1, Math.sqrt(1e6 / parameters)));
}

/** Rows held out for validation: 10 %, at most 500, none under 20 rows (nothing to compare then). */
export function chooseValidationFraction(rows: number): number {
  if (rows < 20) return 0;
  return Math.min(0.1, MAX_VALIDATION_ROWS / rows);
}

/** Resolves every hyperparameter of a run: the options where set, the strategy's choice elsewhere. */
export function planRun(input: PlanInput, o: EngineTrainerOptions = {}): RunDecision {
  const reasons: string[] = [];
  const forced = o.strategy ?? o.method ?? 'auto';
  let method: 'lora' | 'full';
  if (forced === 'auto') {
    const chosen = chooseMethod(input);
    method = chosen.method;
    reasons.push(chosen.why);
  } else method = forced;
  const r = o.lora?.r ?? 8;
  const lora = {
    r,
    alpha: o.lora?.alpha ?? 2 * r,
    targetModules: o.lora?.targetModules ?? DEFAULT_TARGET_MODULES,
  };
  const epochs = o.epochs ?? chooseEpochs(input.rows);
  if (o.epochs === undefined) reasons.push(`${epochs} epochs for ${input.rows} rows`);
  const learningRate = o.learningRate ?? chooseLearningRate(method, input.parameters);
  if (o.learningRate === undefined)
    reasons.push(`learning rate ${learningRate} for ${input.parameters} parameters`);
  const validationFraction = o.validationFraction ?? chooseValidationFraction(input.rows);
  const reserve = o.reserveMs ?? reserveMs(artifactBytes(method, { ...input, loraRank: r }));
  if (o.reserveMs === undefined) reasons.push(`${Math.round(reserve)} ms reserved to pack and commit`);
  // Searching needs a validation split to compare by and free choices to vary.
  const search =
    validationFraction > 0 &&
    o.learningRate === undefined &&
    o.epochs === undefined &&
    o.maxSteps === undefined;
  return {
    method,
    lora,
    learningRate,
    batchSize: o.batchSize ?? 8,
    epochs,
    maxSteps: o.maxSteps,
    warmupSteps: o.warmupSteps,
    validationFraction,
    seed: o.seed ?? 0,
    reserveMs: reserve,
    search,
    reasons,
  };
}
