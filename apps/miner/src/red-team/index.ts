// The red team: built-in adversarial trainers an operator points at the judge (`--strategy red:<name>`),
// registered in one list. Each strategy is one file implementing the Trainer port; none is honest, and the
// honest built-in trainer never imports this folder.

import { fail, type Result } from '@tuning-arena/protocol';
import type { Trainer } from '../trainer.js';
import { baseStrategy } from './base.js';
import { blendStrategy } from './blend.js';
import { duplicateStrategy } from './duplicate.js';
import { impostorStrategy } from './impostor.js';
import { lazyStrategy } from './lazy.js';
import { testLeakStrategy } from './leaked-test.js';
import { perturbedCopyStrategy } from './perturbed-copy.js';
import { publicSourceStrategy } from './public-source.js';
import type { RedTeamOptions, RedTeamStrategy } from './strategy.js';

export type { RedTeamOptions } from './strategy.js';

/** Every red-team strategy, in README order. */
const RED_TEAM: readonly RedTeamStrategy[] = [
  duplicateStrategy,
  perturbedCopyStrategy,
  impostorStrategy,
  blendStrategy,
  baseStrategy,
  testLeakStrategy,
  publicSourceStrategy,
  lazyStrategy,
];

/** The bare names of the red-team strategies (`impostor`, not `red:impostor`). */
export const RED_TEAM_NAMES: readonly string[] = RED_TEAM.map((strategy) => strategy.name);

/** What each strategy attempts, one line each, by bare name. */
export const RED_TEAM_ATTEMPTS: Readonly<Record<string, string>> = Object.fromEntries(
  RED_TEAM.map((strategy) => [strategy.name, strategy.attempts]),
);

/** Builds the named red-team trainer (bare name), or says why it cannot (unknown name, missing option). */
export function createRedTeamTrainer(name: string, options: RedTeamOptions = {}): Result<Trainer> {
  const strategy = RED_TEAM.find((candidate) => candidate.name === name);
  if (!strategy) {
    return fail(
      'invalid_body',
      `unknown red-team strategy ${JSON.stringify(name)}; known: ${RED_TEAM_NAMES.join(', ')}`,
    );
  }
  return strategy.create(options);
}
