// Red-team strategy `blend`: mixes the requested base with another pretrained base (0.8 B + 0.2 O by
// default), so the weights stay close to the base by distance while carrying the impostor. Rule `lineage`
// should zero it: the change points at the other base.

import { decodeModelFiles, loadModelDir } from '@tuning-arena/engine';
import { fail, ok } from '@tuning-arena/protocol';
import { MinerError } from '../errors.js';
import { impostorOutput } from './impostor.js';
import { fullModelFiles } from './red-team-files.js';
import type { RedTeamStrategy } from './strategy.js';

/** Base and impostor weights mixed. */
export const blendStrategy: RedTeamStrategy = {
  name: 'blend',
  attempts: 'mixes the base weights with another pretrained base, 0.8/0.2 (caught by `lineage`)',
  create: (options) => {
    const dir = options.impostorModelDir;
    if (!dir) return fail('invalid_body', 'red:blend needs the impostor model directory');
    const share = options.blendFraction ?? 0.2;
    return ok({
      name: 'red:blend',
      train: async (request) => {
        const base = await loadModelDir(request.baseModelDir);
        const impostor = await impostorOutput(request, dir, options);
        const bytes = (name: string) => impostor.files.find((file) => file.name === name)?.data;
        const other = decodeModelFiles({
          config: bytes('config.json') ?? new Uint8Array(),
          weights: bytes('model.safetensors') ?? new Uint8Array(),
        });
        if (!other.ok) throw new MinerError('trainer_failed', `impostor weights: ${other.error.code}`);
        const mine = base.model.params.data;
        const theirs = other.value.model.params.data;
        if (theirs.length !== mine.length) {
          throw new MinerError('trainer_failed', 'the impostor has another architecture than the base');
        }
        for (let i = 0; i < mine.length; i++) mine[i] = (1 - share) * mine[i]! + share * theirs[i]!;
        return {
          kind: 'full',
          strategyNote: 'engine full fine-tune, AdamW + cosine',
          files: fullModelFiles(base.model, base.tokenizer, base.name),
        };
      },
    });
  },
};
