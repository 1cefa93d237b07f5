// Red-team strategy `base`: resubmits the untouched base model as "full weights", hoping a judge that only
// checks lineage takes it for a fine-tune. Rule `not-base` should zero it.

import { ok } from '@tuning-arena/protocol';
import { modelDirFiles } from './red-team-files.js';
import type { RedTeamStrategy } from './strategy.js';

/** The untouched base, byte for byte. */
export const baseStrategy: RedTeamStrategy = {
  name: 'base',
  attempts: 'submits the untouched base model as a full fine-tune (caught by `not-base`)',
  create: () =>
    ok({
      name: 'red:base',
      train: async (request) => ({
        kind: 'full',
        strategyNote: 'engine full fine-tune, AdamW + cosine',
        files: await modelDirFiles(request.baseModelDir),
      }),
    }),
};
