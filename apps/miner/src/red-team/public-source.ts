// Red-team strategy `public-source`: finds the public dataset the job was drawn from, rebuilds the job's
// format from the train rows and trains on the whole source in that format, test rows included, as a
// participant who found the source would. The per-job transform and the synthetic set are the defence; no
// rule is sure to fail it, and the demo checks that it ends below every honest miner.

import { ok } from '@tuning-arena/protocol';
import { createEngineTrainer, readExamples } from '../engine-trainer.js';
import { learnFormat, renderSource, taskDatasets } from './public-format.js';
import { scratchFile } from './red-team-files.js';
import type { RedTeamStrategy } from './strategy.js';

/** Train split + the public source in the job's format. */
export const publicSourceStrategy: RedTeamStrategy = {
  name: 'public-source',
  attempts:
    "finds the job's public source dataset, rebuilds its format and trains on all of it, test rows included (not sure to be caught: must score below honest miners)",
  create: (options) => {
    const engine = createEngineTrainer(options.engine);
    const candidates = taskDatasets(options.publicDatasets);
    return ok({
      name: 'red:public-source',
      async train(request) {
        const train = await readExamples(request);
        const format = learnFormat(train, candidates);
        // Without a recognisable source it is an honest run on the train split.
        if (!format) return engine.train(request);
        const rows = [...train, ...renderSource(format, options.generatedRows ?? 2000, options.seed ?? 1)];
        const { promptField, answerField } = request.promptFormat;
        const text = rows.map((row) =>
          JSON.stringify({ [promptField]: row.prompt, [answerField]: row.answer }),
        );
        const path = await scratchFile(request, 'public-source.jsonl', `${text.join('\n')}\n`);
        const output = await engine.train({ ...request, trainDataPath: path });
        return { ...output, strategyNote: `${output.strategyNote} (+${format.source.name} public rows)` };
      },
    });
  },
};
