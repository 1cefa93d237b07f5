// The operator's command line (`tuning-arena`) over the typed client: competitions, miner registration,
// jobs (create, list, show, cancel, watch, results), models, and the judge's commands (judge-commands.ts).
// It connects as config-file.ts resolves (flags, environment, config file), prints tables for people and
// `--json` for scripts, and returns exit codes (2 for usage or a bad config file, 1 for a refused call).

import { readFile } from 'node:fs/promises';
import { type CommandSpec, commandOrExit, USAGE_EXIT_CODE } from '@tuning-arena/node-kit';
import { isApiError } from '../api-error.js';
import { createArenaClient } from '../arena-client.js';
import { type CommandContext, createCommandContext, UsageError } from './command-context.js';
import { readConfigFile, resolveConnection } from './config-file.js';
import { competitionTable, jobDetail, jobTable, minerTable, modelTable } from './format.js';
import { runJudgeCommand } from './judge-commands.js';
import { OPERATOR_PROGRAM } from './program.js';
import { readProgramFile, runProgramCommand } from './program-commands.js';
import { watchJob } from './watch.js';

export { OPERATOR_PROGRAM } from './program.js';

/** Where the CLI reads and writes. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (live redraws in `job watch`). */
  isTTY: boolean;
}

type CommandName = keyof (typeof OPERATOR_PROGRAM)['commands'];
const commands: Readonly<Record<string, CommandSpec>> = OPERATOR_PROGRAM.commands;

/** A command is named by its first two arguments when those name one (`job create ...`), else by its first. */
function splitCommand(argv: string[]): string[] {
  const [first, second, ...rest] = argv;
  const two = `${first} ${second}`;
  return second !== undefined && Object.hasOwn(commands, two) ? [two, ...rest] : argv;
}

/** Runs the operator CLI with `argv` (without node and script); resolves with the exit code. */
export async function runOperatorCli(argv: string[], io: CliIo): Promise<number> {
  const command = commandOrExit(OPERATOR_PROGRAM, splitCommand(argv), io, io.env);
  if (typeof command === 'number') return command;
  const name = command.name as CommandName;
  const spec = commands[name] as CommandSpec;
  const values = command.values as Record<string, string | number | boolean | string[] | undefined>;
  const configPath = values.config as string | undefined;
  const file = configPath === undefined || configPath === '' ? undefined : await readConfigFile(configPath);
  if (file && !file.ok) {
    io.err(`error (${file.error.code}): ${file.error.message}\n`);
    return USAGE_EXIT_CODE;
  }
  const connection = resolveConnection(
    { url: values.url as string | undefined, token: values.token as string | undefined },
    file?.value,
  );
  const client = createArenaClient({
    baseUrl: connection.url,
    ...(connection.token === undefined ? {} : { token: connection.token }),
  });
  const ctx = createCommandContext({
    client,
    spec,
    values,
    positionals: command.positionals,
    out: io.out,
  });
  try {
    await execute(name, ctx, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${error.usage}`);
      return USAGE_EXIT_CODE;
    }
    if (isApiError(error)) {
      io.err(`error (${error.code}): ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function execute(name: CommandName, ctx: CommandContext, io: CliIo): Promise<void> {
  const { client, id, str, int } = ctx;
  switch (name) {
    case 'competition create': {
      const created = await client.competitions.create({
        name: ctx.need(str('name'), 'name'),
        ...(int('max-miners') === undefined ? {} : { maxMiners: int('max-miners') as number }),
        ...(int('max-miners-per-owner') === undefined
          ? {}
          : { maxMinersPerOwner: int('max-miners-per-owner') as number }),
        ...(str('starts-at') === undefined ? {} : { startsAt: str('starts-at') as string }),
        ...(str('ends-at') === undefined ? {} : { endsAt: str('ends-at') as string }),
        ...(str('program-file') === undefined
          ? {}
          : { program: await readProgramFile(ctx, str('program-file') as string) }),
      });
      return ctx.print(created, () => created.id);
    }
    case 'competition list': {
      const list = await client.competitions.list();
      return ctx.print(list, () => competitionTable(list));
    }
    case 'competition show': {
      const [competition, miners, jobs] = await Promise.all([
        client.competitions.get(id),
        client.miners.list(id),
        client.jobs.list(id),
      ]);
      return ctx.print({ competition, miners, jobs }, () =>
        [competitionTable([competition]), '', minerTable(miners), '', jobTable(jobs)].join('\n'),
      );
    }
    case 'miner register': {
      const keyFile = str('key-file');
      const key =
        str('key') ?? (keyFile === undefined ? undefined : (await readFile(keyFile, 'utf8')).trim());
      const owner = ctx.need(str('owner'), 'owner');
      const miner = await client.miners.register(ctx.need(str('competition'), 'competition'), {
        publicKey: ctx.need(key, 'key-file'),
        owner,
        displayName: str('name') ?? owner,
      });
      return ctx.print(miner, () => miner.id);
    }
    case 'miner list': {
      const miners = await client.miners.list(ctx.need(str('competition'), 'competition'));
      return ctx.print(miners, () => minerTable(miners));
    }
    case 'job create': {
      const job = await client.jobs.create(ctx.need(str('competition'), 'competition'), {
        model: ctx.need(str('model'), 'model'),
        dataset: ctx.need(str('dataset'), 'dataset'),
        timeLimitSeconds: ctx.need(int('time-limit'), 'time-limit'),
        minersWanted: int('miners') ?? 1,
        ...(int('offer-ttl') === undefined ? {} : { offerTtlSeconds: int('offer-ttl') as number }),
        ...(int('max-rows') === undefined ? {} : { maxRows: int('max-rows') as number }),
      });
      return ctx.print(job, () => job.id);
    }
    case 'job list': {
      const jobs = await client.jobs.list(ctx.need(str('competition'), 'competition'));
      return ctx.print(jobs, () => jobTable(jobs));
    }
    case 'job show': {
      const [job, submissions] = await Promise.all([client.jobs.get(id), client.jobs.submissions(id)]);
      return ctx.print({ ...job, submissions }, () => jobDetail(job, submissions));
    }
    case 'job cancel': {
      const job = await client.jobs.cancel(id);
      return ctx.print(job, () => `${job.id} ${job.status}`);
    }
    case 'job watch':
      await watchJob(client, id, { intervalMs: int('interval') ?? 1000, out: io.out, redraw: io.isTTY });
      return;
    case 'models': {
      const models = await client.models.list();
      return ctx.print(models, () => modelTable(models));
    }
    case 'program show':
    case 'program set':
    case 'program pause':
    case 'program resume':
    case 'program end':
      return runProgramCommand(name, ctx);
    default:
      return runJudgeCommand(name, ctx);
  }
}
