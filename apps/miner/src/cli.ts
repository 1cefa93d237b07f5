// The `tuning-arena-miner` command line: `keygen`, `run`, `config print`, `benchmark` and `history`. It
// parses flags and the config file into settings and prints; running the daemon is cli-run.ts's, the
// daemon's behaviour miner.ts's. Returns exit codes (2 for usage and config errors), never exits.

import { commandOrExit, helpText, programHelp, USAGE_EXIT_CODE } from '@tuning-arena/node-kit';
import { classParameters, createBenchmarkCache, sizeClassOf } from './benchmark-cache.js';
import { MINER_PROGRAM } from './cli-program.js';
import { benchmarkMethod, runMiner, terminalOutput } from './cli-run.js';
import { type LoadedConfig, loadConfig, requireSetting } from './config-load.js';
import { configJson, formatConfig } from './config-print.js';
import { isMinerError } from './errors.js';
import { generateKeyFiles } from './keys.js';
import { historyCsv, historyJson } from './ledger/history-export.js';
import { formatHistoryTable } from './ledger/history-table.js';
import { formatHistory, readLedgerHistory } from './ledger/read-history.js';
import type { DisplayStream } from './progress-display.js';
import { runSelfBenchmark } from './self-benchmark.js';
import { resolveTrainer } from './trainer-registry.js';

export { MINER_PROGRAM } from './cli-program.js';

/** Where the CLI writes, and how `run` learns it should stop. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Resolves when the daemon should stop (SIGINT/SIGTERM in the real binary). */
  untilStopped(): Promise<void>;
  /** Where `run` draws progress bars and logs (process.stderr in the binary); absent: the logger's default. */
  terminal?: DisplayStream;
}

/** Usage text. */
export const USAGE = programHelp(MINER_PROGRAM);

type CommandName = keyof typeof MINER_PROGRAM.commands;

/** A refusal of the command line or configuration: printed with the command's help, exit 2. */
class CliUsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const command = commandOrExit(MINER_PROGRAM, argv, io);
  if (typeof command === 'number') return command;
  const name = command.name as CommandName;
  const { values, positionals } = command;
  const usage = helpText(MINER_PROGRAM.commands[name]);
  try {
    const loaded = await loadConfig(values);
    if (!loaded.ok) throw new CliUsageError(`${loaded.error.code}: ${loaded.error.message}`, usage);
    return await runCommand(name, loaded.value, values, positionals, usage, io);
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

/** A required setting, or a usage error naming it. */
function required(value: string | undefined, key: string, flag: string, usage: string): string {
  const result = requireSetting(value, key, flag);
  if (!result.ok) throw new CliUsageError(`${result.error.code}: ${result.error.message}`, usage);
  return result.value;
}

async function runCommand(
  name: CommandName,
  config: LoadedConfig,
  values: Record<string, unknown>,
  positionals: string[],
  usage: string,
  io: CliIo,
): Promise<number> {
  const { settings } = config;
  const dataDir = () => required(settings.dataDir, 'data_dir', 'data-dir', usage);
  switch (name) {
    case 'keygen': {
      const dir = dataDir();
      const identity = await generateKeyFiles(dir);
      io.out(`${identity.publicKey}\n`);
      io.err(`key written to ${dir}; register the public key above with the operator\n`);
      return 0;
    }
    case 'config': {
      if (positionals[0] !== 'print')
        throw new CliUsageError(`unknown config action ${JSON.stringify(positionals[0])}`, usage);
      io.out(
        values.json
          ? `${JSON.stringify(configJson(config.effective, config.file), null, 2)}\n`
          : formatConfig(config.effective, config.file),
      );
      return 0;
    }
    case 'history': {
      if ([values.json, values.csv, values.details].filter(Boolean).length > 1)
        throw new CliUsageError('choose one of --json, --csv and --details', usage);
      const entries = await readLedgerHistory(dataDir());
      if (values.json) io.out(`${JSON.stringify(historyJson(entries), null, 2)}\n`);
      else if (values.csv) io.out(historyCsv(entries));
      else io.out(values.details ? formatHistory(entries) : formatHistoryTable(entries));
      return 0;
    }
    case 'benchmark': {
      const params = values.params as number | undefined;
      if (params === undefined) throw new CliUsageError('--params is required', usage);
      const cache = createBenchmarkCache(dataDir(), runSelfBenchmark, {
        rowTokens: settings.rowTokens,
        batchSize: settings.training.batchSize,
      });
      const sample = await cache.throughput({
        family: 'gpt2',
        parameterCount: params,
        method: benchmarkMethod(settings),
        threads: settings.threads,
      });
      io.out(`${JSON.stringify({ ...sample, classParameters: classParameters(sizeClassOf(params)) })}\n`);
      return 0;
    }
    case 'run': {
      const validatorUrl = required(settings.validator, 'validator', 'validator', usage);
      const dir = dataDir();
      const { log, display } = terminalOutput(settings, io.terminal);
      const trainer = resolveTrainer({ ...settings, log });
      if (!trainer.ok) throw new CliUsageError(`${trainer.error.code}: ${trainer.error.message}`, usage);
      return runMiner(config, {
        validatorUrl,
        dataDir: dir,
        trainer: trainer.value,
        log,
        display,
        untilStopped: io.untilStopped,
      });
    }
  }
}
