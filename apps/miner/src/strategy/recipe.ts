// The recipe the engine trainer sends with each commit: every hyperparameter of the run whose weights it
// commits, the seed that fixes initialisation, validation split and data order, the engine version, the
// strategy's reasons and every trial of its search, so the run can be repeated. Pure assembly.

import type { Recipe } from '@tuning-arena/protocol';
import type { RunDecision } from './plan-run.js';
import type { TrialRecord, TrialSettings } from './trials.js';

/** Optimiser settings the engine trainer passes explicitly, so the recipe states them. */
export const OPTIMIZER = { beta1: 0.9, beta2: 0.999, eps: 1e-8, gradClip: 1, minLrRatio: 0.1 } as const;

/** AdamW weight decay: none on a LoRA adapter, 0.01 on full weights (the engine's defaults). */
export function weightDecayOf(method: 'lora' | 'full'): number {
  return method === 'lora' ? 0 : 0.01;
}

/** What the recipe describes: the plan, the trial whose weights are committed, and how it ended. */
export interface RecipeInput {
  readonly decision: RunDecision;
  readonly trial: TrialSettings & { readonly maxSteps: number; readonly plannedSteps: number };
  readonly outcome: { readonly steps: number; readonly keptStep: number; readonly stoppedBy: string };
  readonly validationLoss: number | undefined;
  readonly history: readonly TrialRecord[];
  readonly base: { readonly name: string; readonly sha256: string; readonly parameters: number };
  readonly rows: number;
  readonly engineVersion: string;
  /** Whether this is a checkpoint committed while training went on. */
  readonly checkpoint: boolean;
}

/** Builds the recipe of one commit. */
export function buildRecipe(input: RecipeInput): Recipe {
  const { decision: d, trial } = input;
  return {
    trainer: 'engine',
    engine: `@tuning-arena/engine@${input.engineVersion}`,
    base: { name: input.base.name, sha256: input.base.sha256, parameters: input.base.parameters },
    method: d.method,
    hyperparameters: {
      learning_rate: trial.learningRate,
      num_epochs: trial.epochs,
      max_steps: trial.maxSteps,
      planned_steps: trial.plannedSteps,
      micro_batch_size: d.batchSize,
      warmup_steps: d.warmupSteps ?? 'engine default: min(100, round(5 % of max_steps))',
      lr_scheduler: 'linear warm-up then cosine to min_lr_ratio',
      min_lr_ratio: OPTIMIZER.minLrRatio,
      optimizer: 'adamw',
      adam_beta1: OPTIMIZER.beta1,
      adam_beta2: OPTIMIZER.beta2,
      adam_epsilon: OPTIMIZER.eps,
      weight_decay: weightDecayOf(d.method),
      max_grad_norm: OPTIMIZER.gradClip,
      ...(d.method === 'lora'
        ? {
            lora_r: d.lora.r,
            lora_alpha: d.lora.alpha,
            lora_dropout: 0,
            lora_target_modules: [...d.lora.targetModules],
          }
        : {}),
    },
    seed: d.seed,
    data: {
      rows: input.rows,
      val_set_size: d.validationFraction,
      split: "engine: seeded shuffle deriveSeed(seed, 'split'), first floor(rows * val_set_size) held out",
      order: "engine: batches of similar length within groups of 16, shuffled by deriveSeed(seed, 'shuffle')",
    },
    result: {
      steps: input.outcome.steps,
      kept_step: input.outcome.keptStep,
      stopped_by: input.outcome.stoppedBy,
      validation_loss: input.validationLoss ?? null,
      checkpoint: input.checkpoint,
    },
    decisions: [...d.reasons],
    trials: input.history.map((t) => [
      t.learningRate,
      t.epochs,
      t.steps,
      round(t.validationLoss),
      t.stoppedBy,
    ]),
    trials_columns: ['learning_rate', 'num_epochs', 'steps', 'validation_loss', 'stopped_by'],
  };
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e5) / 1e5 : null);
