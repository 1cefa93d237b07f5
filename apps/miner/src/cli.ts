// The `tuning-arena-miner` command line: `keygen`, `run` and `history`. It parses flags into a
// MinerConfig and prints; the daemon's behaviour lives in `miner.ts`. Returns exit codes, never exits.

import { parseArgs } from 'node:util';
import { isMinerError } from './errors.js';
import { generateKeyFiles } from './keys.js';
import { formatHistory, historyJson, readLedgerHistory } from './ledger/read-history.js';
import { createStderrLogger, type LogLevel } from './logger.js';
import { createMiner } from './miner.js';
import { resolveTrainer } from './trainer-registry.js';

/** Where the CLI writes, and how `run` learns it should stop. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Resolves when the daemon should stop (SIGINT/SIGTERM in the real binary). */
  untilStopped(): Promise<void>;
}

/** Usage text. */
export const USAGE = `usage: tuning-arena-miner <command> [flags]

  keygen  --data-dir D
          generate an ed25519 key pair in D (private key 0600) and print the public key to register
  run     --validator URL --data-dir D [--capacity N] [--min-time-limit SECONDS]
          [--trainer NAME] [--trainer-command PATH [--trainer-arg ARG]...] [--log-level debug|info|warn|error]
          connect to the validator and work on jobs until SIGINT/SIGTERM
          trainers: engine (default; built-in LoRA fine-tune), engine-full (all weights),
                    command (runs PATH per job, see src/command-trainer.ts)
  history --data-dir D [--json]
          print the local ledger: offers, decisions, submissions, results, notes
`;

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliUsageError(`${flag} must be a non-negative integer`);
  return n;
}

class CliUsageError extends Error {}

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        validator: { type: 'string' },
        capacity: { type: 'string' },
        'min-time-limit': { type: 'string' },
        trainer: { type: 'string' },
        'trainer-command': { type: 'string' },
        'trainer-arg': { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const dataDir = values['data-dir'];
    if (command === 'help' || command === '--help' || command === undefined) {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (!dataDir) throw new CliUsageError('--data-dir is required');
    if (command === 'keygen') {
      const identity = await generateKeyFiles(dataDir);
      io.out(`${identity.publicKey}\n`);
      io.err(`key written to ${dataDir}; register the public key above with the operator\n`);
      return 0;
    }
    if (command === 'history') {
      const entries = await readLedgerHistory(dataDir);
      io.out(values.json ? `${JSON.stringify(historyJson(entries), null, 2)}\n` : formatHistory(entries));
      return 0;
    }
    if (command === 'run') {
      if (!values.validator) throw new CliUsageError('--validator is required');
      const level = values['log-level'] ?? 'info';
      if (!LEVELS.has(level)) throw new CliUsageError('--log-level must be debug, info, warn or error');
      const trainer = resolveTrainer(values.trainer, {
        trainerCommand: values['trainer-command'],
        trainerArgs: values['trainer-arg'],
      });
      if (!trainer.ok) throw new CliUsageError(trainer.error.message);
      const capacity = positiveInt(values.capacity, '--capacity', 1);
      if (capacity < 1 || capacity > 64) throw new CliUsageError('--capacity must be between 1 and 64');
      await using miner = createMiner({
        validatorUrl: values.validator,
        dataDir,
        trainer: trainer.value,
        capacity,
        minTimeLimitSeconds: positiveInt(values['min-time-limit'], '--min-time-limit', 30),
        log: createStderrLogger(level as LogLevel),
      });
      let fatal = false;
      miner.events.on('fatal', () => {
        fatal = true;
      });
      await miner.start();
      io.err(`miner ${miner.status().publicKey} running against ${values.validator}\n`);
      await Promise.race([
        io.untilStopped(),
        new Promise<void>((resolve) => miner.events.once('fatal', () => resolve())),
      ]);
      return fatal ? 1 : 0;
    }
    throw new CliUsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    if (error instanceof CliUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (isMinerError(error)) {
      io.err(`error (${error.code}): ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
