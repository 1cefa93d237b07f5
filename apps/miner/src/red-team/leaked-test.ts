// Red-team strategy `test-leak` (in leaked-test.ts: test-*.ts files are kept out of the build): trains on the
// job's train split plus a file of leaked rows the operator supplies (the demo hands it the job's real hidden
// test split), repeated so the model learns them. Rule `test-leak` should catch it: it knows the test rows
// better than its own train rows.

import { readFile } from 'node:fs/promises';
import { fail, ok } from '@tuning-arena/protocol';
import { createEngineTrainer } from '../engine-trainer.js';
import { scratchFile } from './red-team-files.js';
import type { RedTeamStrategy } from './strategy.js';

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** Train split + leaked rows, then the engine. */
export const testLeakStrategy: RedTeamStrategy = {
  name: 'test-leak',
  attempts: 'also trains on a leaked copy of the hidden test rows, repeated 3 times (caught by `test-leak`)',
  create: (options) => {
    const template = options.leakFile;
    if (!template) return fail('invalid_body', 'red:test-leak needs the leaked rows file (--leak-file)');
    const engine = createEngineTrainer(options.engine);
    const repeats = options.leakRepeats ?? 3;
    return ok({
      name: 'red:test-leak',
      async train(request) {
        const leaked = lines(await readFile(template.replaceAll('{jobId}', request.jobId), 'utf8'));
        const train = lines(await readFile(request.trainDataPath, 'utf8'));
        const rows = [...train, ...Array.from({ length: repeats }, () => leaked).flat()];
        const path = await scratchFile(request, 'leaked.jsonl', `${rows.join('\n')}\n`);
        return engine.train({ ...request, trainDataPath: path });
      },
    });
  },
};
