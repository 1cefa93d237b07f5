// The trainers the command line can name with `--trainer`. Only real trainers belong here: the built-in
// engine trainer (LoRA by default, or full weights) and `command` (the participant's own program).
// Test trainers never do.

import { fail, ok, type Result } from '@tuning-arena/protocol';
import { createCommandTrainer } from './command-trainer.js';
import { createEngineTrainer } from './engine-trainer.js';
import type { Logger } from './logger.js';
import type { Trainer } from './trainer.js';

/** Flags that configure trainers. */
export interface TrainerFlags {
  /** Program run by the `command` trainer (undefined: flag not given). */
  trainerCommand?: string | undefined;
  /** Its arguments (undefined: flag not given). */
  trainerArgs?: string[] | undefined;
  /** Where the command trainer logs its program's output. */
  log?: Logger | undefined;
}

/** Names `--trainer` accepts. */
export const TRAINER_NAMES = ['engine', 'engine-full', 'command'] as const;

/** The trainer used when `--trainer` is not given: the built-in engine, LoRA. */
export const DEFAULT_TRAINER: string | undefined = 'engine';

/** Builds the named trainer, or explains why it cannot. */
export function resolveTrainer(name: string | undefined, flags: TrainerFlags): Result<Trainer> {
  const chosen = name ?? DEFAULT_TRAINER;
  if (chosen === undefined) return fail('invalid_body', 'no trainer configured: pass --trainer NAME');
  if (chosen === 'engine') return ok(createEngineTrainer({ method: 'lora' }));
  if (chosen === 'engine-full') return ok(createEngineTrainer({ method: 'full' }));
  if (chosen === 'command') {
    if (!flags.trainerCommand) return fail('invalid_body', '--trainer command needs --trainer-command PATH');
    return ok(
      createCommandTrainer({
        command: flags.trainerCommand,
        ...(flags.trainerArgs === undefined ? {} : { args: flags.trainerArgs }),
        ...(flags.log === undefined ? {} : { log: flags.log }),
      }),
    );
  }
  return fail(
    'invalid_body',
    `unknown trainer ${JSON.stringify(chosen)}; known: ${TRAINER_NAMES.join(', ')}`,
  );
}
