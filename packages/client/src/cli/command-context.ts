// What every operator command runs with: the typed client, the parsed flags and positionals, and a printer
// that honours `--json`; plus the one usage error a command throws (exit code 2). It makes no request itself.

import { type CommandSpec, helpText } from '@tuning-arena/node-kit';
import type { ArenaClient } from '../arena-client.js';

/** A command line that cannot run; printed with the command's help. */
export class UsageError extends Error {
  /** Always `usage_error`, like the argument parser's failures. */
  readonly code = 'usage_error';

  constructor(
    message: string,
    /** The help text to show under the message. */
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A parsed flag's value. */
type FlagValue = string | number | boolean | string[] | undefined;

/** One command's inputs and outputs. */
export interface CommandContext {
  client: ArenaClient;
  /** The first positional argument ('' when the command takes none). */
  id: string;
  str(flag: string): string | undefined;
  int(flag: string): number | undefined;
  strs(flag: string): string[] | undefined;
  /** The value, or a UsageError saying `--flag is required`. */
  need<T>(value: T | undefined, flag: string): T;
  /** A UsageError with this command's help. */
  usage(message: string): UsageError;
  /** Prints `data` as JSON under `--json`, else `text()`. */
  print(data: unknown, text: () => string): void;
}

/** Builds the context of one parsed command. */
export function createCommandContext(options: {
  client: ArenaClient;
  spec: CommandSpec;
  values: Record<string, FlagValue>;
  positionals: string[];
  out: (text: string) => void;
}): CommandContext {
  const { values, spec } = options;
  const usage = (message: string) => new UsageError(message, helpText(spec));
  return {
    client: options.client,
    id: options.positionals[0] ?? '',
    str: (flag) => values[flag] as string | undefined,
    int: (flag) => values[flag] as number | undefined,
    strs: (flag) => values[flag] as string[] | undefined,
    need: (value, flag) => {
      if (value === undefined || value === '') throw usage(`--${flag} is required`);
      return value;
    },
    usage,
    print: (data, text) => options.out(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`),
  };
}
