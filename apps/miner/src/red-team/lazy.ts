// Red-team strategy `lazy`: accepts every job and trains only a handful of steps, so it submits something
// valid at almost no cost. No rule should fail it; its low quality scores should sink it.

import { ok } from '@tuning-arena/protocol';
import { createEngineTrainer } from '../engine-trainer.js';
import type { RedTeamStrategy } from './strategy.js';

/** A few engine steps and done. */
export const lazyStrategy: RedTeamStrategy = {
  name: 'lazy',
  attempts: 'trains a handful of steps and submits at once (not a rule breach: its low scores sink it)',
  create: (options) => {
    const engine = createEngineTrainer({ ...options.engine, maxSteps: options.lazySteps ?? 5 });
    return ok({ name: 'red:lazy', train: (request) => engine.train(request) });
  },
};
