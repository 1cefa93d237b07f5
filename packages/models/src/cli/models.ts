#!/usr/bin/env node
// `pnpm models`: pretrain the named base models on the bundled corpora and list the cached ones.
// A thin shell over the package API; progress goes to stderr, results (and --json) to stdout.
import { parseArgs } from 'node:util';
import { createProgressBar, renderTable } from '@tuning-arena/node-kit';
import { BASE_MODELS } from '../base-models.js';
import { finetuneCheck } from '../finetune-check.js';
import { listBaseModels } from '../model-store.js';
import { defaultModelsDir } from '../models-dir.js';
import { pretrainBaseModel } from '../pretrain.js';

const USAGE = `usage: pnpm models <command> [--models-dir DIR]   (default $ARENA_MODELS_DIR or .arena/models)
  list [--json]                        cached base models with parameters, sha256 pin, corpus, held-out loss
  pretrain [NAME...] [--all] [--force] pretrain the default bases (${BASE_MODELS.filter((m) => m.default)
    .map((m) => m.name)
    .join(', ')}), the named ones, or all
  catalog                              every base model that can be pretrained
  finetune-check BASE DATASET [--steps N] [--lora]
                                       fine-tune a cached base briefly on a prepared job, print test/synthetic losses`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      force: { type: 'boolean' },
      lora: { type: 'boolean' },
      steps: { type: 'string' },
      'models-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  const [command, ...names] = positionals;
  const modelsDir = defaultModelsDir(values['models-dir']);
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
  } else if (command === 'list') {
    const models = await listBaseModels(modelsDir);
    if (values.json) {
      const rows = models.map(({ name, params, sha256, corpus, heldOutLoss, dir }) => ({
        name,
        params,
        sha256,
        corpus,
        heldOutLoss,
        dir,
      }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    const rows = models.map((m) => [
      m.name,
      m.params,
      m.sha256.slice(0, 16),
      m.corpus,
      m.heldOutLoss.toFixed(3),
      m.randomInitLoss.toFixed(3),
    ]);
    process.stdout.write(
      `${renderTable([['name', 'params', 'sha256', 'corpus', 'heldOutLoss', 'randomInit'], ...rows])}\n`,
    );
    const missing = BASE_MODELS.filter((spec) => !models.some((m) => m.name === spec.name)).map(
      (spec) => spec.name,
    );
    if (missing.length > 0)
      process.stdout.write(
        `not pretrained in ${modelsDir}: ${missing.join(', ')} (pnpm models pretrain NAME)\n`,
      );
  } else if (command === 'finetune-check') {
    const [base = '', dataset = ''] = names;
    const result = await finetuneCheck({
      base,
      dataset,
      modelsDir,
      method: values.lora ? 'lora' : 'full',
      ...(values.steps !== undefined && { steps: Number(values.steps) }),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else if (command === 'catalog') {
    const rows = BASE_MODELS.map((m) => [
      m.name,
      m.preset,
      m.corpus.join('+'),
      m.seed,
      m.steps,
      m.default ? 'yes' : '',
      m.description,
    ]);
    process.stdout.write(
      `${renderTable([['name', 'preset', 'corpus', 'seed', 'steps', 'default', 'description'], ...rows])}\n`,
    );
  } else if (command === 'pretrain') {
    const wanted = values.all
      ? BASE_MODELS
      : names.length > 0
        ? names.map((name) => ({ name }))
        : BASE_MODELS.filter((m) => m.default);
    const done = [];
    for (const { name } of wanted) {
      const bar = createProgressBar(name);
      const info = await pretrainBaseModel(name, {
        modelsDir,
        force: values.force ?? false,
        onProgress: (p) => bar.update(p.step, p.plannedSteps, `loss ${p.loss.toFixed(3)}`),
      });
      bar.done(
        `${info.sha256.slice(0, 16)} held-out ${info.heldOutLoss.toFixed(3)} (random init ${info.randomInitLoss.toFixed(3)}) ${info.trainSeconds}s -> ${info.dir}`,
      );
      done.push(info);
    }
    if (values.json) process.stdout.write(`${JSON.stringify(done, null, 2)}\n`);
  } else {
    process.stderr.write(`unknown command ${command}\n${USAGE}\n`);
    process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  process.stderr.write(`models: ${code ? `${code}: ` : ''}${(error as Error).message}\n`);
  process.exitCode = 1;
});
