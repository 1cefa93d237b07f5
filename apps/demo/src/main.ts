#!/usr/bin/env node
// `npm run demo`: a whole local competition on built-in defaults (pretrained bases, three bundled datasets,
// four honest miners and the red team, a two-phase program). Flags: --work-dir DIR, --models-dir DIR,
// --summary FILE (the outcome as JSON), --serve (keep the validator running afterwards).

import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defaultModelsDir } from '@tuning-arena/models';
import { type CommandSpec, parseCommand, USAGE_EXIT_CODE } from '@tuning-arena/node-kit';
import { type DemoRun, runDemo, type ServedValidator } from './demo.js';
import { formatReport } from './report.js';

const DEMO_COMMAND = {
  name: 'tuning-arena-demo',
  summary:
    'Runs a whole local competition (honest miners and the red team) and prints the leaderboard and the caught cheats.',
  options: {
    'work-dir': {
      kind: 'string',
      doc: "keep the run's files here (default .arena/demo/<timestamp>)",
      placeholder: 'dir',
    },
    'models-dir': { kind: 'string', doc: 'base model cache (default .arena/models)', placeholder: 'dir' },
    summary: {
      kind: 'string',
      doc: 'also write the leaderboard and every job as JSON to this file',
      placeholder: 'file',
    },
    serve: { kind: 'boolean', doc: 'keep the validator running after the competition (Ctrl-C stops it)' },
  },
} satisfies CommandSpec;

/** Waits for Ctrl-C while the validator keeps serving. */
async function serveUntilInterrupted({
  url,
  token,
  consoleUrl,
  competitionId,
}: ServedValidator): Promise<void> {
  process.stdout.write(
    `\nThe validator keeps running at ${url} (the JSON API is under ${url}/v1).\n` +
      `Operator console (a one-time sign-in link): ${consoleUrl}\n` +
      `Operator token: ${token}\n` +
      `Try: ARENA_URL=${url} ARENA_OPERATOR_TOKEN=${token} pnpm arena leaderboard --competition ${competitionId}\n` +
      'Press Ctrl-C to stop.\n',
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}

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
  const modelsDir = defaultModelsDir(values['models-dir']);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const workDir = resolve(values['work-dir'] ?? join(modelsDir, '..', 'demo', stamp));
  process.stderr.write(`demo work directory: ${workDir}\n`);
  const summaryPath = values.summary;
  // The report and the summary come as soon as the competition is over, also when --serve keeps it running.
  const finish = async (run: DemoRun) => {
    process.stdout.write(`${formatReport(run)}\n`);
    if (summaryPath) {
      await writeFile(resolve(summaryPath), `${JSON.stringify(run.summary, null, 2)}\n`);
      process.stderr.write(`summary written to ${resolve(summaryPath)}\n`);
    }
  };
  let finished = false;
  const run = await runDemo({
    workDir,
    modelsDir,
    ...(values.serve
      ? {
          serve: async (served: ServedValidator, result: DemoRun) => {
            await finish(result);
            finished = true;
            await serveUntilInterrupted(served);
          },
        }
      : {}),
  });
  if (!finished) await finish(run);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(
      `demo failed: ${error?.code ?? ''} ${error?.stack ?? error}\n${error?.cause ? `cause: ${error.cause?.stack ?? error.cause}\n` : ''}`,
    );
    process.exit(1);
  },
);
