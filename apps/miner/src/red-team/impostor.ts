// Red-team strategy `impostor`: submits another pretrained network of the same architecture (for example
// arena-nano-moby's weights when arena-nano is asked), renamed as the requested base, optionally after
// fine-tuning it on the job. Rule `lineage` should zero it: it sits closer to the other base.

import { loadModelDir } from '@tuning-arena/engine';
import { type BundleFile, fail, ok } from '@tuning-arena/protocol';
import { createEngineTrainer } from '../engine-trainer.js';
import type { TrainRequest } from '../trainer.js';
import { fullModelFiles } from './red-team-files.js';
import type { RedTeamOptions, RedTeamStrategy } from './strategy.js';

/** The impostor's weights as full-artifact files named after the requested base (fine-tuned first if asked). */
export async function impostorOutput(
  request: TrainRequest,
  impostorDir: string,
  options: RedTeamOptions,
): Promise<{ kind: 'full'; strategyNote: string; files: BundleFile[] }> {
  const { name } = await loadModelDir(request.baseModelDir);
  const steps = options.impostorSteps ?? 0;
  if (steps > 0) {
    const trainer = createEngineTrainer({ ...options.engine, strategy: 'full', maxSteps: steps });
    const tuned = await trainer.train({ ...request, baseModelDir: impostorDir });
    if (!('files' in tuned) || tuned.kind !== 'full') throw new Error('the engine returned no full weights');
    const { files } = tuned;
    return { kind: 'full', strategyNote: tuned.strategyNote, files };
  }
  const impostor = await loadModelDir(impostorDir);
  return {
    kind: 'full',
    strategyNote: 'engine full fine-tune, AdamW + cosine',
    files: fullModelFiles(impostor.model, impostor.tokenizer, name),
  };
}

/** Another base, passed off as a fine-tune of the requested one. */
export const impostorStrategy: RedTeamStrategy = {
  name: 'impostor',
  attempts:
    'submits a different pretrained base (arena-nano-moby for arena-nano) as a fine-tune (caught by `lineage`)',
  create: (options) => {
    const dir = options.impostorModelDir;
    if (!dir) return fail('invalid_body', 'red:impostor needs the impostor model directory');
    return ok({ name: 'red:impostor', train: (request) => impostorOutput(request, dir, options) });
  },
};
