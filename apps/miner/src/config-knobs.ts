// Every knob of the miner, listed once: its config-file key (axolotl's name where axolotl has the knob), its
// command-line flag, its kind and bounds, its default and a doc line. The CLI's `run` options, the config
// file's decoder and `config print` are all generated from this table. Reading files is config-file.ts's job.

import { LOG_FORMATS, LOG_LEVELS, type OptionSpec } from '@tuning-arena/node-kit';

/** What kind of value a knob holds. */
export type KnobKind = 'integer' | 'number' | 'string' | 'choice' | 'strings';

/** A knob's value once decoded. */
export type KnobValue = number | string | string[];

/** One knob. `default` undefined means unset: the strategy (or the miner) chooses. */
export interface KnobSpec {
  /** The config-file key. */
  readonly key: string;
  /** The command-line flag, without dashes. */
  readonly flag: string;
  readonly kind: KnobKind;
  readonly doc: string;
  readonly min?: number;
  readonly max?: number;
  /** Whether `min` itself is refused (a learning rate must be above 0, not 0). */
  readonly exclusiveMin?: boolean;
  /** Whether `max` itself is refused. */
  readonly exclusiveMax?: boolean;
  /** Allowed values of a `choice` knob, or of each item of a `strings` knob. */
  readonly choices?: readonly string[];
  /** A pattern a `string` knob must match, and what to say when it does not. */
  readonly pattern?: { readonly regex: RegExp; readonly expected: string };
  readonly default?: KnobValue;
  /** A training hyperparameter: unset, the strategy chooses it. */
  readonly training?: boolean;
  /** Shown in help, e.g. `seconds`. */
  readonly placeholder?: string;
}

/** The trainers `trainer` names. */
export const TRAINER_CHOICES = ['engine', 'engine-full', 'command'] as const;

/** The modules a LoRA adapter may target in the GPT-2 family. */
export const LORA_TARGETS = ['c_attn', 'c_proj', 'c_fc'] as const;

/** The miner's knobs, in the order `config print` shows them. */
export const KNOBS: readonly KnobSpec[] = [
  {
    key: 'validator',
    flag: 'validator',
    kind: 'string',
    doc: "the validator's base URL, e.g. http://127.0.0.1:8787",
    pattern: { regex: /^https?:\/\/\S+$/, expected: 'an http:// or https:// URL' },
    placeholder: 'url',
  },
  {
    key: 'data_dir',
    flag: 'data-dir',
    kind: 'string',
    doc: 'keys, ledger, benchmark and job files',
    placeholder: 'dir',
  },
  {
    key: 'capacity',
    flag: 'capacity',
    kind: 'integer',
    min: 1,
    max: 64,
    default: 1,
    doc: 'jobs held (and trained) at once',
  },
  {
    key: 'threads',
    flag: 'threads',
    kind: 'integer',
    min: 1,
    max: 64,
    default: 1,
    doc: 'engine threads per job',
  },
  {
    key: 'min_time_limit',
    flag: 'min-time-limit',
    kind: 'integer',
    min: 0,
    default: 30,
    doc: 'reject offers shorter than this (0 takes any)',
    placeholder: 'seconds',
  },
  {
    key: 'accept_min_steps',
    flag: 'accept-min-steps',
    kind: 'integer',
    min: 0,
    default: 30,
    doc: 'reject offers where the self-benchmark predicts fewer training steps (0: off)',
  },
  {
    key: 'safety_margin',
    flag: 'safety-margin',
    kind: 'number',
    min: 0,
    default: 5,
    doc: 'seconds kept free besides transfers when estimating (at least 10 % of the limit)',
    placeholder: 'seconds',
  },
  {
    key: 'transfer_mb_per_s',
    flag: 'transfer-mb-per-s',
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    default: 20,
    doc: 'assumed download/upload speed for the estimate (MB/s)',
  },
  {
    key: 'row_tokens',
    flag: 'row-tokens',
    kind: 'integer',
    min: 1,
    max: 4096,
    default: 64,
    doc: 'assumed tokens per train row for the estimate',
  },
  {
    key: 'trainer',
    flag: 'trainer',
    kind: 'choice',
    choices: TRAINER_CHOICES,
    default: 'engine',
    doc: 'engine (built-in), engine-full (alias of --strategy full), command (your program)',
  },
  {
    key: 'trainer_command',
    flag: 'trainer-command',
    kind: 'string',
    doc: 'program run per job by the command trainer',
    placeholder: 'path',
  },
  {
    key: 'trainer_args',
    flag: 'trainer-arg',
    kind: 'strings',
    doc: 'an argument for the trainer command (repeatable)',
    placeholder: 'arg',
  },
  {
    key: 'strategy',
    flag: 'strategy',
    kind: 'string',
    default: 'auto',
    pattern: { regex: /^(auto|lora|full|red:[a-z0-9-]+)$/, expected: 'auto, lora, full or red:<name>' },
    doc: 'auto (chosen per job), lora, full, or red:<name> (a red-team attack)',
    placeholder: 'name',
  },
  {
    key: 'learning_rate',
    training: true,
    flag: 'lr',
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    max: 1,
    doc: 'peak learning rate',
  },
  { key: 'lora_r', training: true, flag: 'lora-r', kind: 'integer', min: 1, max: 64, doc: 'LoRA rank' },
  {
    key: 'lora_alpha',
    training: true,
    flag: 'lora-alpha',
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    max: 4096,
    doc: 'LoRA alpha (scale alpha/r)',
  },
  {
    key: 'lora_dropout',
    training: true,
    flag: 'lora-dropout',
    kind: 'number',
    min: 0,
    max: 0,
    doc: 'LoRA dropout (the engine implements only 0)',
  },
  {
    key: 'lora_target_modules',
    training: true,
    flag: 'lora-target-modules',
    kind: 'strings',
    choices: LORA_TARGETS,
    doc: `modules LoRA adapts (repeatable or comma-separated: ${LORA_TARGETS.join(', ')})`,
    placeholder: 'module',
  },
  {
    key: 'micro_batch_size',
    training: true,
    flag: 'batch-size',
    kind: 'integer',
    min: 1,
    max: 4096,
    doc: 'rows per optimizer step',
  },
  {
    key: 'warmup_steps',
    training: true,
    flag: 'warmup-steps',
    kind: 'integer',
    min: 0,
    doc: 'learning-rate warm-up steps',
  },
  {
    key: 'num_epochs',
    training: true,
    flag: 'epochs',
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    max: 10_000,
    doc: 'passes over the train rows',
  },
  {
    key: 'max_steps',
    training: true,
    flag: 'max-steps',
    kind: 'integer',
    min: 1,
    doc: 'stop after this many steps even with time left',
  },
  {
    key: 'val_set_size',
    training: true,
    flag: 'val-set-size',
    kind: 'number',
    min: 0,
    max: 0.5,
    doc: 'fraction of train rows held out to keep the best checkpoint',
  },
  {
    key: 'seed',
    training: true,
    flag: 'seed',
    kind: 'integer',
    min: 0,
    max: 2 ** 32 - 1,
    doc: 'seed of init, split and data order',
  },
  {
    key: 'red_stash_dir',
    flag: 'red-stash-dir',
    kind: 'string',
    doc: "red:duplicate: folder the owner's miners share",
    placeholder: 'dir',
  },
  {
    key: 'red_source_data_dir',
    flag: 'red-source-data-dir',
    kind: 'string',
    doc: 'red:perturbed-copy: data dir of the miner copied',
    placeholder: 'dir',
  },
  {
    key: 'red_impostor_model_dir',
    flag: 'red-impostor-model-dir',
    kind: 'string',
    doc: 'red:impostor, red:blend: another pretrained base',
    placeholder: 'dir',
  },
  {
    key: 'red_leak_file',
    flag: 'red-leak-file',
    kind: 'string',
    doc: 'red:test-leak: JSONL of leaked rows ({jobId} is replaced)',
    placeholder: 'file',
  },
  {
    key: 'log_level',
    flag: 'log-level',
    kind: 'choice',
    choices: LOG_LEVELS,
    default: 'info',
    doc: 'least severe level logged',
  },
  {
    key: 'log_format',
    flag: 'log-format',
    kind: 'choice',
    choices: LOG_FORMATS,
    default: 'auto',
    doc: 'json lines (quiet, no progress bars), text, or auto (text and live progress bars on a terminal)',
  },
];

/** The knob with this config-file key, if any. */
export function knobByKey(key: string): KnobSpec | undefined {
  return KNOBS.find((knob) => knob.key === key);
}

/** The knob's doc line with its default, for `--help`. */
function helpDoc(knob: KnobSpec): string {
  if (knob.default !== undefined) return `${knob.doc} (default ${String(knob.default)})`;
  return knob.training ? `${knob.doc} (default: the strategy's choice)` : knob.doc;
}

/** The knobs as argument-parser options: text the config decoder checks, so a flag and a key fail alike. */
export function knobOptions(): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = {};
  for (const knob of KNOBS) {
    const doc = helpDoc(knob);
    options[knob.flag] =
      knob.kind === 'choice'
        ? { kind: 'choice', doc, choices: knob.choices ?? [] }
        : {
            kind: knob.kind === 'strings' ? 'strings' : 'string',
            doc,
            placeholder: knob.placeholder ?? (knob.kind === 'string' ? 'value' : 'n'),
          };
  }
  return options;
}
