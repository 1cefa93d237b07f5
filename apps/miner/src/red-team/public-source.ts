// Red-team strategy `public-source`: finds the public dataset the job was drawn from and trains on the whole
// source (test rows included) as JSONL rows of the job, worded as the source publishes them. The secret
// per-job transform is the defence: no rule is sure to fail it, and the demo checks that it ends below every
// honest miner. With `recoverFormat` it also rebuilds the job's template and answer format from the train
// rows first (the templates are public), which the transform does not withstand.

import { ok } from '@tuning-arena/protocol';
import { createEngineTrainer, readExamples } from '../engine-trainer.js';
import { learnFormat, publicFormat, renderSource, taskDatasets } from './public-format.js';
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
        const learnt = learnFormat(train, candidates);
        // Without a recognisable source it is an honest run on the train split.
        if (!learnt) return engine.train(request);
        const format = options.recoverFormat ? learnt : publicFormat(learnt.source);
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
