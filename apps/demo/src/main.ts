#!/usr/bin/env node
// `pnpm demo`: a whole local competition on built-in defaults (pretrained base, bundled datasets, four
// miners, two jobs at once). Flags: --work-dir DIR (default .arena/demo/<timestamp>), --models-dir DIR,
// --time-limit SECONDS (per job).

import { join, resolve } from 'node:path';
import { defaultModelsDir } from '@tuning-arena/models';
import { type CommandSpec, parseCommand, USAGE_EXIT_CODE } from '@tuning-arena/node-kit';
import { DEFAULT_JOBS, runDemo } from './demo.js';
import { formatReport } from './report.js';

const DEMO_COMMAND = {
  name: 'tuning-arena-demo',
  summary: 'Runs a whole local competition on built-in defaults and prints what happened.',
  options: {
    'work-dir': {
      kind: 'string',
      doc: "keep the run's files here (default .arena/demo/<timestamp>)",
      placeholder: 'dir',
    },
    'models-dir': { kind: 'string', doc: 'base model cache (default .arena/models)', placeholder: 'dir' },
    'time-limit': {
      kind: 'integer',
      doc: 'seconds per job (default per job)',
      min: 5,
      placeholder: 'seconds',
    },
  },
} satisfies CommandSpec;

async function main(): Promise<number> {
  const parsed = parseCommand(DEMO_COMMAND, process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error.message}\n\n${parsed.error.usage}`);
    return USAGE_EXIT_CODE;
  }
  if (parsed.value.kind === 'help') {
    process.stdout.write(parsed.value.text);
    return 0;
  }
  const values = parsed.value.values;
  const timeLimit = values['time-limit'];
  const modelsDir = defaultModelsDir(values['models-dir']);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const workDir = resolve(values['work-dir'] ?? join(modelsDir, '..', 'demo', stamp));
  process.stderr.write(`demo work directory: ${workDir}\n`);
  const summary = await runDemo({
    workDir,
    modelsDir,
    jobs: DEFAULT_JOBS.map((job) => ({ ...job, timeLimitSeconds: timeLimit ?? job.timeLimitSeconds })),
  });
  process.stdout.write(`${formatReport(summary)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`demo failed: ${error?.code ?? ''} ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
