// The knobs of the built-in engine trainer: every field is optional and what is left unset the strategy
// chooses (see plan-run.ts). Types and their documentation only; the config file and CLI that fill them
// live elsewhere (config*.ts, cli.ts).

/** Which fine-tuning method to use; 'auto' chooses from model size, data size and time budget. */
export type EngineStrategy = 'auto' | 'lora' | 'full';

/** Partial LoRA overrides; unset fields are chosen by the strategy. */
export interface LoraOverrides {
  /** Rank (axolotl `lora_r`). */
  r?: number;
  /** Scaling numerator (axolotl `lora_alpha`); the update is scaled by alpha / r. */
  alpha?: number;
  /** Dropout on the LoRA input (axolotl `lora_dropout`); the engine implements none, so only 0 is accepted. */
  dropout?: number;
  /** PEFT target modules (axolotl `lora_target_modules`), e.g. ['c_attn', 'c_proj', 'c_fc']. */
  targetModules?: readonly string[];
}

/** Options of the engine trainer; every unset field is chosen by the strategy. */
export interface EngineTrainerOptions {
  /** 'auto' (default) picks LoRA or full fine-tuning; 'lora' or 'full' forces one. */
  strategy?: EngineStrategy;
  /** @deprecated use `strategy`; 'lora' or 'full' forces that method when `strategy` is unset. */
  method?: 'lora' | 'full';
  /** LoRA rank, alpha, dropout and target modules (partial overrides of the strategy's choice). */
  lora?: LoraOverrides;
  /** Sequences per optimiser step (axolotl `micro_batch_size`). */
  batchSize?: number;
  /** Peak learning rate of the cosine schedule (axolotl `learning_rate`). */
  learningRate?: number;
  /** Linear warm-up steps (axolotl `warmup_steps`). */
  warmupSteps?: number;
  /** Passes over the training rows (axolotl `num_epochs`); bounds the steps like maxSteps does. */
  epochs?: number;
  /** Stop after this many steps even with time left (axolotl `max_steps`). */
  maxSteps?: number;
  /** Fraction of the rows held out to pick the best checkpoint (axolotl `val_set_size`, in [0, 0.5]). */
  validationFraction?: number;
  /** Seed of the initialisation, the validation split and the data order (default 0). */
  seed?: number;
  /** Time kept free before the deadline for packing, commit and upload (default: scaled to the artifact). */
  reserveMs?: number;
  /** Train in a worker thread (default true); false trains on the caller's thread, yielding between steps. */
  inWorker?: boolean;
}

/** One knob for `miner config print` and the docs: its option path, axolotl key and default. */
export interface EngineKnob {
  readonly option: string;
  /** The axolotl config key, where axolotl has one. */
  readonly axolotl?: string;
  readonly default: string;
  readonly doc: string;
}

/** Every knob of the engine trainer with its default (most defaults are the strategy's choice). */
export const ENGINE_KNOBS: readonly EngineKnob[] = [
  { option: 'strategy', default: 'auto', doc: "'auto' picks LoRA or full; 'lora' or 'full' forces one" },
  {
    option: 'learningRate',
    axolotl: 'learning_rate',
    default: 'strategy',
    doc: 'peak rate of the warm-up + cosine schedule',
  },
  { option: 'lora.r', axolotl: 'lora_r', default: 'strategy', doc: 'LoRA rank' },
  { option: 'lora.alpha', axolotl: 'lora_alpha', default: 'strategy (2 x r)', doc: 'LoRA scale numerator' },
  { option: 'lora.dropout', axolotl: 'lora_dropout', default: '0', doc: 'only 0 is supported by the engine' },
  {
    option: 'lora.targetModules',
    axolotl: 'lora_target_modules',
    default: 'c_attn, c_proj, c_fc',
    doc: 'modules that get an adapter',
  },
  { option: 'batchSize', axolotl: 'micro_batch_size', default: 'strategy', doc: 'sequences per step' },
  { option: 'warmupSteps', axolotl: 'warmup_steps', default: 'strategy', doc: 'linear warm-up steps' },
  { option: 'epochs', axolotl: 'num_epochs', default: 'strategy', doc: 'passes over the training rows' },
  { option: 'maxSteps', axolotl: 'max_steps', default: 'strategy', doc: 'upper bound on optimiser steps' },
  {
    option: 'validationFraction',
    axolotl: 'val_set_size',
    default: 'strategy',
    doc: 'rows held out to keep the best checkpoint',
  },
  { option: 'seed', axolotl: 'seed', default: '0', doc: 'initialisation, split and data-order seed' },
  {
    option: 'reserveMs',
    default: 'scaled to the artifact size',
    doc: 'time kept before the deadline to pack, commit and upload',
  },
];
