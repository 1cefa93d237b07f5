// Glue between the strategy and the engine: a trial's train options with every setting explicit, and the
// trainer output (PEFT adapter or full weights, strategy note and recipe) of a trial's or checkpoint's
// weights. Encodes in memory; reads only the engine's package.json for its version.

import { readFile } from 'node:fs/promises';
import {
  countParameters,
  DEFAULT_LORA_CONFIG,
  encodeAdapterFiles,
  encodeModelFiles,
  type GptModel,
  type LoraAdapter,
  loraSites,
  type Tokenizer,
  type TrainOptions,
} from '@tuning-arena/engine';
import type { TrainOutput } from '../trainer.js';
import type { PlanInput, RunDecision } from './plan-run.js';
import { buildRecipe, OPTIMIZER, weightDecayOf } from './recipe.js';
import type { TrialPlan } from './search.js';
import type { TrialRecord } from './trials.js';

/** Engine margin before the training deadline: the reserve already covers packing and commit. */
const ENGINE_MARGIN_MS = 250;

/** What every output of one job shares. */
export interface RunContext {
  readonly decision: RunDecision;
  readonly tokenizer: Tokenizer;
  readonly base: { readonly name: string; readonly sha256: string; readonly parameters: number };
  readonly rows: number;
  readonly engineVersion: string;
}

/** Weights to ship and how the run that made them ended. */
export interface ShippedWeights {
  readonly model: GptModel;
  readonly adapter?: LoraAdapter | undefined;
  readonly steps: number;
  readonly keptStep: number;
  readonly stoppedBy: string;
  readonly bestValidationLoss?: number | undefined;
  readonly plannedSteps: number;
}

/** What the strategy plans from: the base's size, the rows and the time to the deadline. */
export function planInputFor(model: GptModel, rows: number, budgetMs: number): PlanInput {
  const sites = loraSites(model.config, DEFAULT_LORA_CONFIG);
  const loraWidthSum = sites.reduce((n, site) => n + site.nIn + site.nOut, 0);
  return { parameters: countParameters(model.config), loraWidthSum, rows, budgetMs };
}

/** The engine's train options of one trial, every optimiser setting explicit so the recipe is exact. */
export function trialOptions(d: RunDecision, plan: TrialPlan, endMs: number) {
  return {
    method: d.method,
    lora: { r: d.lora.r, alpha: d.lora.alpha, targetModules: d.lora.targetModules },
    learningRate: plan.learningRate,
    batchSize: d.batchSize,
    maxSteps: plan.maxSteps,
    ...(d.warmupSteps === undefined ? {} : { warmupSteps: d.warmupSteps }),
    validationFraction: d.validationFraction,
    seed: d.seed,
    weightDecay: weightDecayOf(d.method),
    beta1: OPTIMIZER.beta1,
    beta2: OPTIMIZER.beta2,
    gradClip: OPTIMIZER.gradClip,
    minLrRatio: OPTIMIZER.minLrRatio,
    deadline: endMs,
    safetyMarginMs: ENGINE_MARGIN_MS,
  } satisfies TrainOptions;
}

/** The trainer output of `weights`: files of the decided kind, a one-line note and the recipe. */
export function outputOf(
  ctx: RunContext,
  weights: ShippedWeights,
  plan: TrialPlan,
  history: readonly TrialRecord[],
  checkpoint: boolean,
): TrainOutput {
  const { decision: d } = ctx;
  const recipe = buildRecipe({
    decision: d,
    trial: { ...plan, plannedSteps: weights.plannedSteps },
    outcome: weights,
    validationLoss: weights.bestValidationLoss,
    history,
    base: ctx.base,
    rows: ctx.rows,
    engineVersion: ctx.engineVersion,
    checkpoint,
  });
  const loss = weights.bestValidationLoss;
  const summary =
    `${weights.steps} steps (${weights.stoppedBy}) on ${ctx.rows} rows, kept step ${weights.keptStep}` +
    (loss === undefined ? '' : `, validation loss ${loss.toFixed(4)}`) +
    `, lr ${plan.learningRate.toPrecision(3)}, ${plan.epochs} epochs` +
    (history.length > 1 ? `, best of ${history.length} trials` : '');
  if (d.method === 'lora') {
    if (!weights.adapter) throw new Error('a LoRA run returned no adapter');
    // PEFT loaders find the base by name; the weights hash pins which base that name meant.
    const files = encodeAdapterFiles(weights.adapter, { name: ctx.base.name, sha256: ctx.base.sha256 });
    return {
      kind: 'lora',
      strategyNote: `engine LoRA r=${d.lora.r} alpha=${d.lora.alpha} on ${d.lora.targetModules.join('/')}, AdamW + cosine; ${summary}`,
      recipe,
      files: [
        { name: 'adapter_config.json', data: files.config },
        { name: 'adapter_model.safetensors', data: files.weights },
      ],
    };
  }
  const files = encodeModelFiles(weights.model, ctx.tokenizer);
  return {
    kind: 'full',
    strategyNote: `engine full fine-tune, AdamW + cosine; ${summary}`,
    recipe,
    files: [
      { name: 'config.json', data: files.config },
      { name: 'model.safetensors', data: files.weights },
      { name: 'tokenizer.json', data: files.tokenizer },
    ],
  };
}

let version: Promise<string> | undefined;

/** The installed engine's package version ('unknown' when its package.json cannot be read). */
export function engineVersion(): Promise<string> {
  version ??= (async () => {
    try {
      const entry = import.meta.resolve('@tuning-arena/engine');
      const text = await readFile(new URL('../package.json', entry), 'utf8');
      return String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
    } catch {
      return 'unknown';
    }
  })();
  return version;
}
