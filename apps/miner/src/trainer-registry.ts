// The trainers the command line can name: the built-in engine trainer (strategy auto, lora or full, with the
// hyperparameters of the config file and flags), `command` (the participant's own program) and, with
// `--strategy red:<name>`, the red team's attacks (red-team/). Test trainers never belong here.

import { ok, type Result } from '@tuning-arena/protocol';
import { createCommandTrainer } from './command-trainer.js';
import { TRAINER_CHOICES } from './config-knobs.js';
import type { TrainingKnobs } from './config-resolve.js';
import { createEngineTrainer, type EngineTrainerOptions } from './engine-trainer.js';
import type { Logger } from './logger.js';
import { createRedTeamTrainer, RED_TEAM_NAMES, type RedTeamOptions } from './red-team/index.js';
import type { Trainer } from './trainer.js';

/** What the configuration says about the trainer. */
export interface TrainerChoice {
  /** engine (default), engine-full or command. */
  trainer?: string | undefined;
  /** auto (default), lora, full or red:<name>. */
  strategy?: string | undefined;
  /** Hyperparameters for the engine trainer; unset ones are the strategy's choice. */
  training?: TrainingKnobs | undefined;
  /** Options of the red-team strategies. */
  redTeam?: Omit<RedTeamOptions, 'engine'> | undefined;
  /** Program run by the `command` trainer. */
  trainerCommand?: string | undefined;
  /** Its arguments. */
  trainerArgs?: string[] | undefined;
  /** Where the command trainer logs its program's output. */
  log?: Logger | undefined;
}

/** Why no trainer could be built; a closed list. */
export type TrainerChoiceCode =
  | 'unknown_trainer'
  | 'unknown_strategy'
  | 'missing_trainer_command'
  | 'red_team_option_missing';

/** Names `--trainer` accepts. */
export const TRAINER_NAMES = TRAINER_CHOICES;

/** The trainer used when `--trainer` is not given: the built-in engine. */
export const DEFAULT_TRAINER = 'engine';

/** A refused trainer choice. */
export interface TrainerChoiceError {
  code: TrainerChoiceCode;
  message: string;
}

const refuse = (code: TrainerChoiceCode, message: string): { ok: false; error: TrainerChoiceError } => ({
  ok: false,
  error: { code, message },
});

/** The engine trainer's options from the configured hyperparameters (only those that were set). */
export function engineOptions(
  strategy: 'auto' | 'lora' | 'full',
  knobs: TrainingKnobs = {},
): EngineTrainerOptions {
  const lora = {
    ...(knobs.loraR === undefined ? {} : { r: knobs.loraR }),
    ...(knobs.loraAlpha === undefined ? {} : { alpha: knobs.loraAlpha }),
    ...(knobs.loraDropout === undefined ? {} : { dropout: knobs.loraDropout }),
    ...(knobs.loraTargetModules === undefined ? {} : { targetModules: knobs.loraTargetModules }),
  };
  const { loraR, loraAlpha, loraDropout, loraTargetModules, ...rest } = knobs;
  return { strategy, ...rest, ...(Object.keys(lora).length === 0 ? {} : { lora }) };
}

/** Builds the configured trainer, or says why it cannot. */
export function resolveTrainer(choice: TrainerChoice): Result<Trainer, TrainerChoiceError> {
  const trainer = choice.trainer ?? DEFAULT_TRAINER;
  const strategy = choice.strategy ?? 'auto';
  if (strategy.startsWith('red:')) {
    const name = strategy.slice('red:'.length);
    if (!RED_TEAM_NAMES.includes(name)) {
      const known = RED_TEAM_NAMES.map((n) => `red:${n}`).join(', ');
      return refuse(
        'unknown_strategy',
        `unknown strategy ${JSON.stringify(strategy)}; red-team strategies: ${known}`,
      );
    }
    const red = createRedTeamTrainer(name, {
      ...choice.redTeam,
      engine: engineOptions('auto', choice.training),
    });
    return red.ok ? red : refuse('red_team_option_missing', red.error.message);
  }
  if (strategy !== 'auto' && strategy !== 'lora' && strategy !== 'full') {
    return refuse(
      'unknown_strategy',
      `unknown strategy ${JSON.stringify(strategy)}; known: auto, lora, full, red:<name>`,
    );
  }
  if (trainer === 'engine') return ok(createEngineTrainer(engineOptions(strategy, choice.training)));
  if (trainer === 'engine-full') {
    if (strategy === 'lora')
      return refuse(
        'unknown_strategy',
        '--trainer engine-full trains every weight; it cannot take --strategy lora',
      );
    return ok(createEngineTrainer(engineOptions('full', choice.training)));
  }
  if (trainer === 'command') {
    if (!choice.trainerCommand)
      return refuse('missing_trainer_command', '--trainer command needs --trainer-command PATH');
    return ok(
      createCommandTrainer({
        command: choice.trainerCommand,
        ...(choice.trainerArgs === undefined ? {} : { args: choice.trainerArgs }),
        ...(choice.log === undefined ? {} : { log: choice.log }),
      }),
    );
  }
  return refuse(
    'unknown_trainer',
    `unknown trainer ${JSON.stringify(trainer)}; known: ${TRAINER_NAMES.join(', ')}`,
  );
}
