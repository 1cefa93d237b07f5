#!/usr/bin/env node
// `pnpm models`: pretrain the named base models on the bundled corpora and list the cached ones.
// A thin shell over the package API; progress goes to stderr, results (and --json) to stdout.
import {
  createProgressBar,
  type OptionValues,
  type ProgramCommand,
  type ProgramSpec,
  renderTable,
  runProgram,
} from '@tuning-arena/node-kit';
import { BASE_MODELS } from '../base-models.js';
import { finetuneCheck } from '../finetune-check.js';
import { listBaseModels } from '../model-store.js';
import { defaultModelsDir } from '../models-dir.js';
import { pretrainBaseModel } from '../pretrain.js';

const modelsDirOption = {
  kind: 'string',
  doc: 'model cache (default $ARENA_MODELS_DIR or .arena/models)',
  placeholder: 'dir',
} as const;
const json = { kind: 'boolean', doc: 'print JSON' } as const;

const PROGRAM = {
  name: 'pnpm models',
  summary: 'Base models: pretrain them on the bundled corpora and list the cached ones.',
  commands: {
    list: {
      name: 'pnpm models list',
      summary: 'cached base models with parameters, sha256 pin, corpus, held-out loss',
      options: { 'models-dir': modelsDirOption, json },
    },
    pretrain: {
      name: 'pnpm models pretrain',
      summary: `pretrain the default bases (${BASE_MODELS.filter((m) => m.default)
        .map((m) => m.name)
        .join(', ')}), the named ones, or all`,
      options: {
        'models-dir': modelsDirOption,
        all: { kind: 'boolean', doc: 'every catalogue entry' },
        force: { kind: 'boolean', doc: 'pretrain again even when cached' },
        json,
      },
      positionals: { usage: '[name...]', min: 0, max: BASE_MODELS.length },
    },
    catalog: { name: 'pnpm models catalog', summary: 'every base model that can be pretrained', options: {} },
    'finetune-check': {
      name: 'pnpm models finetune-check',
      summary: 'fine-tune a cached base briefly on a prepared job, print test/synthetic losses',
      options: {
        'models-dir': modelsDirOption,
        steps: { kind: 'integer', doc: 'training steps' },
        lora: { kind: 'boolean', doc: 'LoRA instead of full fine-tuning' },
      },
      positionals: { usage: '<base> <dataset>', min: 2, max: 2 },
    },
  },
} as const satisfies ProgramSpec;

type Commands = (typeof PROGRAM)['commands'];
type Values = OptionValues<Commands['pretrain']['options'] & Commands['finetune-check']['options']>;

async function main(parsed: ProgramCommand<typeof PROGRAM>): Promise<void> {
  const { name: command, positionals: names } = parsed;
  const values = parsed.values as Values;
  const modelsDir = defaultModelsDir(values['models-dir']);
  if (command === 'list') {
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
      ...(values.steps !== undefined && { steps: values.steps }),
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
  }
}

// A command may set the exit code itself (a refused file); only a failure of the run itself overrides it.
const exitCode = await runProgram(PROGRAM, 'models', main);
if (exitCode !== 0) process.exitCode = exitCode;
