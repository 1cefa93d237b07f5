// The effective configuration: for every knob, the flag's value, else the config file's, else the default,
// and which of the three it was. Also the typed settings the CLI builds the miner from. Pure; parsing argv
// and reading the file happen before.

import type { LogFormat, LogLevel } from '@tuning-arena/node-kit';
import type { Result } from '@tuning-arena/protocol';
import { KNOBS, type KnobValue, type TRAINER_CHOICES } from './config-knobs.js';
import { type ConfigError, decodeKnobValue } from './config-value.js';

/** Where an effective value came from. */
export type ValueSource = 'default' | 'file' | 'flag';

/** One knob's effective value (undefined: unset, the strategy or the miner chooses) and its source. */
export interface EffectiveValue {
  readonly value: KnobValue | undefined;
  readonly source: ValueSource;
}

/** Every knob's effective value, by config-file key, in the table's order. */
export type EffectiveConfig = ReadonlyMap<string, EffectiveValue>;

/** Merges flag text (by flag name, as the argument parser returns it) over file values over defaults. */
export function resolveConfig(
  flags: Readonly<Record<string, unknown>>,
  file: ReadonlyMap<string, KnobValue>,
): Result<EffectiveConfig, ConfigError> {
  const effective = new Map<string, EffectiveValue>();
  for (const knob of KNOBS) {
    const raw = flags[knob.flag];
    if (raw !== undefined) {
      const value = decodeKnobValue(knob, raw, 'flag');
      if (!value.ok) return value;
      effective.set(knob.key, { value: value.value, source: 'flag' });
    } else if (file.has(knob.key)) {
      effective.set(knob.key, { value: file.get(knob.key), source: 'file' });
    } else {
      effective.set(knob.key, { value: knob.default, source: 'default' });
    }
  }
  return { ok: true, value: effective };
}

/** The training hyperparameters a participant may set; unset ones are chosen by the strategy. */
export interface TrainingKnobs {
  learningRate?: number;
  loraR?: number;
  loraAlpha?: number;
  loraDropout?: number;
  loraTargetModules?: string[];
  batchSize?: number;
  warmupSteps?: number;
  epochs?: number;
  maxSteps?: number;
  validationFraction?: number;
  seed?: number;
}

/** The typed settings the miner is built from. */
export interface MinerSettings {
  validator: string | undefined;
  dataDir: string | undefined;
  capacity: number;
  threads: number;
  minTimeLimitSeconds: number;
  acceptMinSteps: number;
  safetyMarginSeconds: number;
  transferMbPerSecond: number;
  rowTokens: number;
  trainer: (typeof TRAINER_CHOICES)[number];
  trainerCommand: string | undefined;
  trainerArgs: string[] | undefined;
  strategy: string;
  training: TrainingKnobs;
  /** Options of the red-team strategies (`--strategy red:<name>`). */
  redTeam: { stashDir?: string; sourceDataDir?: string; impostorModelDir?: string; leakFile?: string };
  logLevel: LogLevel;
  logFormat: LogFormat;
}

/** Maps training knobs (file keys) onto TrainingKnobs fields. */
const TRAINING_FIELDS = {
  learning_rate: 'learningRate',
  lora_r: 'loraR',
  lora_alpha: 'loraAlpha',
  lora_dropout: 'loraDropout',
  lora_target_modules: 'loraTargetModules',
  micro_batch_size: 'batchSize',
  warmup_steps: 'warmupSteps',
  num_epochs: 'epochs',
  max_steps: 'maxSteps',
  val_set_size: 'validationFraction',
  seed: 'seed',
} as const satisfies Record<string, keyof TrainingKnobs>;

/** Config-file keys of the training hyperparameters (unset: the strategy chooses). */
export const TRAINING_KEYS: ReadonlySet<string> = new Set(
  KNOBS.filter((knob) => knob.training).map((knob) => knob.key),
);

/** The red-team options that were set. */
function redTeamOptions(str: (key: string) => string | undefined): MinerSettings['redTeam'] {
  const fields = {
    stashDir: str('red_stash_dir'),
    sourceDataDir: str('red_source_data_dir'),
    impostorModelDir: str('red_impostor_model_dir'),
    leakFile: str('red_leak_file'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The typed settings of an effective configuration (defaults fill every required field). */
export function toSettings(config: EffectiveConfig): MinerSettings {
  const get = (key: string) => config.get(key)?.value;
  const num = (key: string) => get(key) as number;
  const str = (key: string) => get(key) as string | undefined;
  const training: TrainingKnobs = {};
  for (const [key, field] of Object.entries(TRAINING_FIELDS)) {
    const value = get(key);
    if (value !== undefined) (training as Record<string, KnobValue>)[field] = value;
  }
  return {
    validator: str('validator'),
    dataDir: str('data_dir'),
    capacity: num('capacity'),
    threads: num('threads'),
    minTimeLimitSeconds: num('min_time_limit'),
    acceptMinSteps: num('accept_min_steps'),
    safetyMarginSeconds: num('safety_margin'),
    transferMbPerSecond: num('transfer_mb_per_s'),
    rowTokens: num('row_tokens'),
    trainer: get('trainer') as MinerSettings['trainer'],
    trainerCommand: str('trainer_command'),
    trainerArgs: get('trainer_args') as string[] | undefined,
    strategy: get('strategy') as string,
    training,
    redTeam: redTeamOptions(str),
    logLevel: get('log_level') as LogLevel,
    logFormat: get('log_format') as LogFormat,
  };
}
