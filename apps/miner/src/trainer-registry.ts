// The trainers the command line can name with `--trainer`. Only real trainers belong here: the built-in
// engine trainer once the engine lands, and `command` (the participant's own program). Test trainers do not.

import { fail, ok, type Result } from '@tuning-arena/protocol';
import { createCommandTrainer } from './command-trainer.js';
import type { Trainer } from './trainer.js';

/** Flags that configure trainers. */
export interface TrainerFlags {
  /** Program run by the `command` trainer. */
  trainerCommand?: string;
  /** Its arguments. */
  trainerArgs?: string[];
}

/** Names `--trainer` accepts. */
export const TRAINER_NAMES = ['command'] as const;

/** The trainer used when `--trainer` is not given; none until the engine trainer is wired in. */
export const DEFAULT_TRAINER: string | undefined = undefined;

/** Builds the named trainer, or explains why it cannot. */
export function resolveTrainer(name: string | undefined, flags: TrainerFlags): Result<Trainer> {
  const chosen = name ?? DEFAULT_TRAINER;
  if (chosen === undefined) {
    return fail(
      'invalid_body',
      'no built-in trainer yet: pass --trainer command --trainer-command PATH (see `tuning-arena-miner help`)',
    );
  }
  if (chosen === 'command') {
    if (!flags.trainerCommand) return fail('invalid_body', '--trainer command needs --trainer-command PATH');
    return ok(createCommandTrainer({ command: flags.trainerCommand, args: flags.trainerArgs }));
  }
  return fail(
    'invalid_body',
    `unknown trainer ${JSON.stringify(chosen)}; known: ${TRAINER_NAMES.join(', ')}`,
  );
}
