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
