#!/usr/bin/env node
// `pnpm demo`: a whole local competition on built-in defaults (pretrained base, bundled datasets, four
// miners, two jobs at once). Flags: --work-dir DIR (default .arena/demo/<timestamp>), --models-dir DIR,
// --time-limit SECONDS (per job).

import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultModelsDir } from '@tuning-arena/datasets';
import { DEFAULT_JOBS, runDemo } from './demo.js';
import { formatReport } from './report.js';

const USAGE = 'Usage: tuning-arena-demo [--work-dir DIR] [--models-dir DIR] [--time-limit SECONDS]';

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        'work-dir': { type: 'string' },
        'models-dir': { type: 'string' },
        'time-limit': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const timeLimit = values['time-limit'] === undefined ? undefined : Number(values['time-limit']);
  if (timeLimit !== undefined && !(Number.isInteger(timeLimit) && timeLimit >= 5)) {
    process.stderr.write(`--time-limit must be an integer of at least 5\n${USAGE}\n`);
    return 2;
  }
  const modelsDir = defaultModelsDir(values['models-dir'] as string | undefined);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const workDir = resolve((values['work-dir'] as string | undefined) ?? join(modelsDir, '..', 'demo', stamp));
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
