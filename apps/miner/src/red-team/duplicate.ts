// Red-team strategy `duplicate`: trains once and submits that one training everywhere: to every later job
// on the same base and from every miner of its owner that shares the stash folder. The first miner to take
// the stash's lock trains; the others wait for its result. Rule `duplicate` should zero every copy
// (identical hashes); the earliest commit keeps its score.

import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILES } from '@tuning-arena/engine';
import { decodeBundle, encodeBundle, fail, ok, sha256Hex } from '@tuning-arena/protocol';
import { createEngineTrainer } from '../engine-trainer.js';
import { MinerError } from '../errors.js';
import { outputFiles, type TrainOutput } from '../trainer.js';
import { waitFor } from './red-team-files.js';
import type { RedTeamStrategy } from './strategy.js';

interface Stash {
  kind: TrainOutput['kind'];
  strategyNote: string;
}

/** Takes the stash's lock; false when another miner holds it. */
async function lock(path: string): Promise<boolean> {
  try {
    await (await open(path, 'wx')).close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readStash(prefix: string): Promise<TrainOutput | undefined> {
  const meta = JSON.parse(await readFile(`${prefix}.json`, 'utf8')) as Stash;
  const files = decodeBundle(await readFile(`${prefix}.bundle`));
  if (!files.ok) throw new MinerError('trainer_failed', `stash ${prefix}: ${files.error.code}`);
  return { ...meta, files: files.value };
}

/** One training, submitted many times. */
export const duplicateStrategy: RedTeamStrategy = {
  name: 'duplicate',
  attempts:
    'trains once and submits that artifact to every job and from a second miner of the same owner (caught by `duplicate`)',
  create: (options) => {
    const dir = options.stashDir;
    if (!dir) return fail('invalid_body', 'red:duplicate needs the stash folder its owner shares');
    const engine = createEngineTrainer(options.engine);
    return ok({
      name: 'red:duplicate',
      async train(request) {
        // One stash per base: an adapter trained on one base means nothing on another.
        const baseSha = sha256Hex(await readFile(join(request.baseModelDir, MODEL_FILES.weights)));
        const prefix = join(dir, `stash-${baseSha.slice(0, 16)}`);
        await mkdir(dir, { recursive: true });
        if (await lock(`${prefix}.lock`)) {
          const output = await engine.train(request);
          const files = await outputFiles(output);
          await writeFile(`${prefix}.bundle.tmp`, encodeBundle(files));
          await rename(`${prefix}.bundle.tmp`, `${prefix}.bundle`);
          const meta: Stash = { kind: output.kind, strategyNote: output.strategyNote };
          await writeFile(`${prefix}.json`, JSON.stringify(meta));
          return { ...meta, files };
        }
        // Leave a second to pack, commit and upload.
        const until = request.deadline.getTime() - 1000;
        return waitFor(request, until, 'the stashed training', () => readStash(prefix));
      },
    });
  },
};
