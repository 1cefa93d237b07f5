// The `tuning-arena-miner` command line: `keygen`, `run` and `history`. It parses flags into a
// MinerConfig and prints; the daemon's behaviour lives in `miner.ts`. Returns exit codes, never exits.

import {
  type CommandSpec,
  helpText,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  type LogLevel,
  type OptionSpecs,
  type OptionValues,
  type ProgramSpec,
  parseCommand,
  programHelp,
  selectCommand,
  USAGE_EXIT_CODE,
} from '@tuning-arena/node-kit';
import { isMinerError } from './errors.js';
import { generateKeyFiles } from './keys.js';
import { formatHistory, historyJson, readLedgerHistory } from './ledger/read-history.js';
import { createLogger } from './logger.js';
import { createMiner } from './miner.js';
import { resolveTrainer } from './trainer-registry.js';

/** Where the CLI writes, and how `run` learns it should stop. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Resolves when the daemon should stop (SIGINT/SIGTERM in the real binary). */
  untilStopped(): Promise<void>;
}

const dataDir = {
  kind: 'string',
  doc: "the miner's data directory (keys, ledger, job files)",
  placeholder: 'dir',
} as const;

/** The miner's commands and their options. */
export const MINER_PROGRAM = {
  name: 'tuning-arena-miner',
  summary: 'A Tuning Arena miner: takes fine-tuning jobs from a validator, trains and submits.',
  commands: {
    keygen: {
      name: 'tuning-arena-miner keygen',
      summary: 'generate an ed25519 key pair (private key 0600) and print the public key to register',
      options: { 'data-dir': dataDir },
    },
    run: {
      name: 'tuning-arena-miner run',
      summary: 'connect to the validator and work on jobs until SIGINT/SIGTERM',
      options: {
        validator: {
          kind: 'string',
          doc: "the validator's base URL, e.g. http://127.0.0.1:8787",
          placeholder: 'url',
        },
        'data-dir': dataDir,
        capacity: { kind: 'integer', doc: 'jobs held at once (default 1)', max: 64 },
        'min-time-limit': {
          kind: 'integer',
          doc: 'reject offers shorter than this many seconds (default 30; 0 takes any)',
          min: 0,
          placeholder: 'seconds',
        },
        trainer: {
          kind: 'string',
          doc: 'engine (default; built-in LoRA fine-tune), engine-full (all weights), command (runs --trainer-command per job)',
          placeholder: 'name',
        },
        'trainer-command': {
          kind: 'string',
          doc: 'program run per job by the command trainer',
          placeholder: 'path',
        },
        'trainer-arg': {
          kind: 'strings',
          doc: 'an argument for the trainer command (repeatable)',
          placeholder: 'arg',
        },
        'log-level': { kind: 'choice', doc: 'least severe level logged (default info)', choices: LOG_LEVELS },
        'log-format': {
          kind: 'choice',
          doc: 'json lines, readable text, or auto (text on a terminal; default)',
          choices: LOG_FORMATS,
        },
      },
    },
    history: {
      name: 'tuning-arena-miner history',
      summary: 'print the local ledger: offers, decisions, submissions, results, notes',
      options: {
        'data-dir': dataDir,
        json: { kind: 'boolean', doc: 'print JSON (camelCase keys) instead of text' },
      },
    },
  },
} as const satisfies ProgramSpec;

/** Usage text. */
export const USAGE = programHelp(MINER_PROGRAM);

class CliUsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

function required(value: string | undefined, flag: string, usage: string): string {
  if (!value) throw new CliUsageError(`--${flag} is required`, usage);
  return value;
}

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const selected = selectCommand(MINER_PROGRAM, argv);
  if (!selected.ok) {
    io.err(`${selected.error.message}\n\n${selected.error.usage}`);
    return USAGE_EXIT_CODE;
  }
  if (selected.value.kind === 'help') {
    io.out(selected.value.text);
    return 0;
  }
  const { name, rest } = selected.value;
  try {
    if (name === 'keygen') {
      const spec = MINER_PROGRAM.commands.keygen;
      const parsed = parseOrThrow(spec, rest);
      if (parsed === 'help') return help(io, spec);
      const identity = await generateKeyFiles(required(parsed['data-dir'], 'data-dir', helpText(spec)));
      io.out(`${identity.publicKey}\n`);
      io.err(`key written to ${parsed['data-dir']}; register the public key above with the operator\n`);
      return 0;
    }
    if (name === 'history') {
      const spec = MINER_PROGRAM.commands.history;
      const parsed = parseOrThrow(spec, rest);
      if (parsed === 'help') return help(io, spec);
      const entries = await readLedgerHistory(required(parsed['data-dir'], 'data-dir', helpText(spec)));
      io.out(parsed.json ? `${JSON.stringify(historyJson(entries), null, 2)}\n` : formatHistory(entries));
      return 0;
    }
    const spec = MINER_PROGRAM.commands.run;
    const parsed = parseOrThrow(spec, rest);
    if (parsed === 'help') return help(io, spec);
    const usage = helpText(spec);
    const validatorUrl = required(parsed.validator, 'validator', usage);
    const dataDir = required(parsed['data-dir'], 'data-dir', usage);
    const log = createLogger({
      level: (parsed['log-level'] ?? 'info') as LogLevel,
      format: (parsed['log-format'] ?? 'auto') as LogFormat,
    });
    const trainer = resolveTrainer(parsed.trainer, {
      trainerCommand: parsed['trainer-command'],
      trainerArgs: parsed['trainer-arg'],
      log,
    });
    if (!trainer.ok) throw new CliUsageError(trainer.error.message, usage);
    await using miner = createMiner({
      validatorUrl,
      dataDir,
      trainer: trainer.value,
      capacity: parsed.capacity ?? 1,
      minTimeLimitSeconds: parsed['min-time-limit'] ?? 30,
      log,
    });
    let fatal = false;
    miner.events.on('fatal', () => {
      fatal = true;
    });
    await miner.start();
    log.info('miner.running', { publicKey: miner.status().publicKey, validator: validatorUrl });
    await Promise.race([
      io.untilStopped(),
      new Promise<void>((resolve) => miner.events.once('fatal', () => resolve())),
    ]);
    return fatal ? 1 : 0;
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`${error.message}\n\n${error.usage}`);
      return USAGE_EXIT_CODE;
    }
    if (isMinerError(error)) {
      io.err(`error (${error.code}): ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function help(io: CliIo, spec: CommandSpec): number {
  io.out(helpText(spec));
  return 0;
}

/** Parses a subcommand's flags; usage errors are thrown as CliUsageError, `--help` returns 'help'. */
function parseOrThrow<O extends OptionSpecs>(spec: CommandSpec<O>, argv: string[]): OptionValues<O> | 'help' {
  const parsed = parseCommand(spec, argv);
  if (!parsed.ok) throw new CliUsageError(parsed.error.message, parsed.error.usage);
  return parsed.value.kind === 'help' ? 'help' : parsed.value.values;
}
