// The operator's command line (`tuning-arena`) over the typed client: competitions, miner registration,
// jobs (create, list, show, cancel, watch) and models. It reads ARENA_URL and ARENA_OPERATOR_TOKEN, prints
// tables for people and `--json` for scripts, and returns exit codes (2 for usage, 1 for a refused call).

import { readFile } from 'node:fs/promises';
import {
  type CommandSpec,
  helpText,
  type OptionSpecs,
  type OptionValues,
  type ParsedCommand,
  type ProgramSpec,
  parseCommand,
  selectCommand,
  USAGE_EXIT_CODE,
} from '@tuning-arena/node-kit';
import { isApiError } from '../api-error.js';
import { createArenaClient } from '../arena-client.js';
import { competitionTable, jobDetail, jobTable, minerTable, modelTable } from './format.js';
import { watchJob } from './watch.js';

/** Where the CLI reads and writes. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (live redraws in `job watch`). */
  isTTY: boolean;
}

const url = {
  kind: 'string',
  doc: 'validator URL (default $ARENA_URL or http://127.0.0.1:8787)',
  env: 'ARENA_URL',
} as const;
const token = {
  kind: 'string',
  doc: 'operator token (default $ARENA_OPERATOR_TOKEN)',
  env: 'ARENA_OPERATOR_TOKEN',
} as const;
const json = { kind: 'boolean', doc: 'print JSON instead of a table' } as const;
const common = { url, token } as const;
const competitionId = { kind: 'string', doc: 'competition id (required)', placeholder: 'id' } as const;
const one = (usage: string) => ({ usage, min: 1, max: 1 });

/** The operator CLI's commands. */
export const OPERATOR_PROGRAM = {
  name: 'tuning-arena',
  summary: 'Operate a Tuning Arena validator: competitions, miners, jobs.',
  commands: {
    'competition create': {
      name: 'tuning-arena competition create',
      summary: 'create a competition and print its id',
      options: {
        ...common,
        json,
        name: { kind: 'string', doc: 'its name (required)' },
        'max-miners': { kind: 'integer', doc: 'miners in total (default 20)' },
        'max-miners-per-owner': { kind: 'integer', doc: 'miners per owner (default 5)' },
      },
    },
    'competition list': {
      name: 'tuning-arena competition list',
      summary: 'list competitions',
      options: { ...common, json },
    },
    'competition show': {
      name: 'tuning-arena competition show',
      summary: 'one competition with its miners and jobs',
      options: { ...common, json },
      positionals: one('<id>'),
    },
    'miner register': {
      name: 'tuning-arena miner register',
      summary: "register a miner's public key for an owner and print the miner id",
      options: {
        ...common,
        json,
        competition: competitionId,
        'key-file': {
          kind: 'string',
          doc: "the miner's public key file (miner-key.pub from keygen)",
          placeholder: 'path',
        },
        key: { kind: 'string', doc: 'the public key itself, instead of --key-file' },
        owner: { kind: 'string', doc: 'the person the miner belongs to (required)' },
        name: { kind: 'string', doc: 'display name (default: the owner)' },
      },
    },
    'miner list': {
      name: 'tuning-arena miner list',
      summary: "a competition's miners, connected or not",
      options: { ...common, json, competition: competitionId },
    },
    'job create': {
      name: 'tuning-arena job create',
      summary: 'offer a fine-tuning job and print its id',
      options: {
        ...common,
        json,
        competition: competitionId,
        model: { kind: 'string', doc: 'base model id (tuning-arena models)' },
        dataset: { kind: 'string', doc: 'bundled dataset or a file in the validator --dataset-dir' },
        'time-limit': { kind: 'integer', doc: 'seconds to train (required)', placeholder: 'seconds' },
        miners: { kind: 'integer', doc: 'miners wanted (default 1)' },
        'offer-ttl': { kind: 'integer', doc: 'seconds an offer stays open', placeholder: 'seconds' },
        'max-rows': { kind: 'integer', doc: 'rows sampled from the dataset', min: 10 },
      },
    },
    'job list': {
      name: 'tuning-arena job list',
      summary: "a competition's jobs",
      options: { ...common, json, competition: competitionId },
    },
    'job show': {
      name: 'tuning-arena job show',
      summary: 'a job with its offers, progress and submissions',
      options: { ...common, json },
      positionals: one('<job id>'),
    },
    'job watch': {
      name: 'tuning-arena job watch',
      summary: "follow a job live until it ends: each miner's step, loss and upload",
      options: {
        ...common,
        interval: { kind: 'integer', doc: 'ms between refreshes (default 1000)', min: 100 },
      },
      positionals: one('<job id>'),
    },
    'job cancel': {
      name: 'tuning-arena job cancel',
      summary: 'cancel an offering or running job',
      options: { ...common, json },
      positionals: one('<job id>'),
    },
    models: {
      name: 'tuning-arena models',
      summary: 'base models the validator can offer',
      options: { ...common, json },
    },
  },
} as const satisfies ProgramSpec;

type Commands = (typeof OPERATOR_PROGRAM)['commands'];
type Run<K extends keyof Commands> = Extract<ParsedCommand<Commands[K]['options']>, { kind: 'run' }>;

class Usage extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

function need<T>(value: T | undefined, flag: string, spec: CommandSpec): T {
  if (value === undefined || value === '') throw new Usage(`--${flag} is required`, helpText(spec));
  return value;
}

function parse<K extends keyof Commands>(name: K, argv: string[], env: CliIo['env']): Run<K> | 'help' {
  const spec = OPERATOR_PROGRAM.commands[name] as CommandSpec<Commands[K]['options']>;
  const parsed = parseCommand(spec, argv, env);
  if (!parsed.ok) throw new Usage(parsed.error.message, parsed.error.usage);
  return parsed.value.kind === 'help' ? 'help' : (parsed.value as Run<K>);
}

/** Two-word commands are selected by their first two arguments (`job create ...`). */
function commandName(argv: string[]): [string[], string[]] {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === 'models' || first.startsWith('-') || first === 'help') {
    return [argv, []];
  }
  return [[second === undefined ? first : `${first} ${second}`], rest];
}

/** Runs the operator CLI with `argv` (without node and script); resolves with the exit code. */
export async function runOperatorCli(argv: string[], io: CliIo): Promise<number> {
  const [head, rest] = commandName(argv);
  const selected = selectCommand(OPERATOR_PROGRAM, [...head, ...rest]);
  if (!selected.ok) {
    io.err(`${selected.error.message}\n\n${selected.error.usage}`);
    return USAGE_EXIT_CODE;
  }
  if (selected.value.kind === 'help') {
    io.out(selected.value.text);
    return 0;
  }
  const name = selected.value.name as keyof Commands;
  try {
    const parsed = parse(name, selected.value.rest, io.env);
    if (parsed === 'help') {
      io.out(helpText(OPERATOR_PROGRAM.commands[name]));
      return 0;
    }
    await execute(name, parsed, io);
    return 0;
  } catch (error) {
    if (error instanceof Usage) {
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

async function execute(name: keyof Commands, parsed: Run<keyof Commands>, io: CliIo): Promise<void> {
  const values = parsed.values as OptionValues<OptionSpecs> &
    Record<string, string | number | boolean | undefined>;
  const spec = OPERATOR_PROGRAM.commands[name] as CommandSpec;
  const client = createArenaClient({
    baseUrl: (values.url as string | undefined) ?? 'http://127.0.0.1:8787',
    ...(values.token === undefined ? {} : { token: values.token as string }),
  });
  const print = (data: unknown, text: () => string) =>
    io.out(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
  const str = (flag: string) => values[flag] as string | undefined;
  const int = (flag: string) => values[flag] as number | undefined;
  const [id = ''] = parsed.positionals;
  switch (name) {
    case 'competition create': {
      const created = await client.competitions.create({
        name: need(str('name'), 'name', spec),
        ...(int('max-miners') === undefined ? {} : { maxMiners: int('max-miners') as number }),
        ...(int('max-miners-per-owner') === undefined
          ? {}
          : { maxMinersPerOwner: int('max-miners-per-owner') as number }),
      });
      return print(created, () => created.id);
    }
    case 'competition list': {
      const list = await client.competitions.list();
      return print(list, () => competitionTable(list));
    }
    case 'competition show': {
      const [competition, miners, jobs] = await Promise.all([
        client.competitions.get(id),
        client.miners.list(id),
        client.jobs.list(id),
      ]);
      return print({ competition, miners, jobs }, () =>
        [competitionTable([competition]), '', minerTable(miners), '', jobTable(jobs)].join('\n'),
      );
    }
    case 'miner register': {
      const keyFile = str('key-file');
      const key =
        str('key') ?? (keyFile === undefined ? undefined : (await readFile(keyFile, 'utf8')).trim());
      const owner = need(str('owner'), 'owner', spec);
      const miner = await client.miners.register(need(str('competition'), 'competition', spec), {
        publicKey: need(key, 'key-file', spec),
        owner,
        displayName: str('name') ?? owner,
      });
      return print(miner, () => miner.id);
    }
    case 'miner list': {
      const miners = await client.miners.list(need(str('competition'), 'competition', spec));
      return print(miners, () => minerTable(miners));
    }
    case 'job create': {
      const job = await client.jobs.create(need(str('competition'), 'competition', spec), {
        model: need(str('model'), 'model', spec),
        dataset: need(str('dataset'), 'dataset', spec),
        timeLimitSeconds: need(int('time-limit'), 'time-limit', spec),
        minersWanted: int('miners') ?? 1,
        ...(int('offer-ttl') === undefined ? {} : { offerTtlSeconds: int('offer-ttl') as number }),
        ...(int('max-rows') === undefined ? {} : { maxRows: int('max-rows') as number }),
      });
      return print(job, () => job.id);
    }
    case 'job list': {
      const jobs = await client.jobs.list(need(str('competition'), 'competition', spec));
      return print(jobs, () => jobTable(jobs));
    }
    case 'job show': {
      const [job, submissions] = await Promise.all([client.jobs.get(id), client.jobs.submissions(id)]);
      return print({ ...job, submissions }, () => jobDetail(job, submissions));
    }
    case 'job cancel': {
      const job = await client.jobs.cancel(id);
      return print(job, () => `${job.id} ${job.status}`);
    }
    case 'job watch':
      await watchJob(client, id, { intervalMs: int('interval') ?? 1000, out: io.out, redraw: io.isTTY });
      return;
    case 'models': {
      const models = await client.models.list();
      return print(models, () => modelTable(models));
    }
  }
}
