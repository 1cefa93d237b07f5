// Command-line parsing shared by every CLI: a command is a table of typed options (string, repeated string,
// boolean, integer with a range, number, choice), each with its doc line and optional environment variable.
// Parsing returns a Result (never throws): the values, a request for help, or a `usage_error` with the text
// to print. `--help`/`-h` works on every command and subcommand. It does no I/O and never exits.

import { parseArgs } from 'node:util';
import type { Result } from '@tuning-arena/protocol';

/** One option of a command. Integers default to `min: 1`: say `min: 0` where zero means something. */
export type OptionSpec =
  | { kind: 'string'; doc: string; env?: string; placeholder?: string }
  | { kind: 'strings'; doc: string; placeholder?: string }
  | { kind: 'boolean'; doc: string; short?: string }
  | { kind: 'integer'; doc: string; env?: string; min?: number; max?: number; placeholder?: string }
  | { kind: 'number'; doc: string; env?: string; min?: number; max?: number; placeholder?: string }
  | { kind: 'choice'; doc: string; env?: string; choices: readonly string[] };

/** The options of a command by flag name (without dashes). */
export type OptionSpecs = Record<string, OptionSpec>;

/** A command: its name as typed, a one-line summary and its options. */
export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** As the user types it, e.g. `tuning-arena-miner run`. */
  name: string;
  summary: string;
  options: O;
  /** Positional arguments, e.g. `<file>`; none are allowed when absent. */
  positionals?: { usage: string; min: number; max: number };
}

type ValueOf<S extends OptionSpec> = S extends { kind: 'boolean' }
  ? boolean
  : S extends { kind: 'strings' }
    ? string[]
    : S extends { kind: 'integer' | 'number' }
      ? number
      : string;

/** Parsed option values; an option not given (nor in the environment) is absent. */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: ValueOf<O[K]> };

/** A refused command line: always code `usage_error`, with the help text to show. */
interface UsageFailure {
  code: 'usage_error';
  message: string;
  usage: string;
}

/** What parsing a command line gives. */
export type ParsedCommand<O extends OptionSpecs> =
  | { kind: 'run'; values: OptionValues<O>; positionals: string[] }
  | { kind: 'help'; text: string };

/** The outcome of parsing: parsed, or a usage failure. */
export type ParseResult<T> = Result<T, UsageFailure>;

/** Exit code for a usage error (as POSIX tools use it). */
export const USAGE_EXIT_CODE = 2;

function placeholder(spec: OptionSpec): string {
  if (spec.kind === 'boolean') return '';
  if (spec.kind === 'choice') return ` ${spec.choices.join('|')}`;
  return ` <${spec.placeholder ?? (spec.kind === 'integer' || spec.kind === 'number' ? 'n' : 'value')}>`;
}

/** The help text of a command: summary, synopsis and one line per option. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([flag, option]) => {
    const env = 'env' in option && option.env ? ` (env ${option.env})` : '';
    return [`  --${flag}${placeholder(option)}`, `${option.doc}${env}`] as const;
  });
  rows.push(['  --help', 'print this text']);
  const width = Math.min(40, Math.max(...rows.map(([left]) => left.length)) + 2);
  const lines = rows.map(([left, right]) =>
    left.length >= width ? `${left}\n${' '.repeat(width)}${right}` : `${left.padEnd(width)}${right}`,
  );
  const positional = spec.positionals ? ` ${spec.positionals.usage}` : '';
  return `usage: ${spec.name}${positional} [options]\n${spec.summary}\n\n${lines.join('\n')}\n`;
}

function refuse(spec: CommandSpec, message: string): { ok: false; error: UsageFailure } {
  return { ok: false, error: { code: 'usage_error', message, usage: helpText(spec) } };
}

function convert(flag: string, spec: OptionSpec, raw: string): Result<number | string, string> {
  if (spec.kind === 'choice') {
    return spec.choices.includes(raw)
      ? { ok: true, value: raw }
      : { ok: false, error: `--${flag} must be one of ${spec.choices.join(', ')}` };
  }
  if (spec.kind !== 'integer' && spec.kind !== 'number') return { ok: true, value: raw };
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  const min = spec.min ?? (spec.kind === 'integer' ? 1 : Number.NEGATIVE_INFINITY);
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  const whole = spec.kind === 'integer' ? Number.isSafeInteger(value) : Number.isFinite(value);
  if (whole && value >= min && value <= max) return { ok: true, value };
  const what = spec.kind === 'integer' ? 'an integer' : 'a number';
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `in [${min}, ${max}]`;
  return { ok: false, error: `--${flag} must be ${what} ${range} (got ${JSON.stringify(raw)})` };
}

/** Parses `argv` (the arguments after the command) against a command's options and `env`. */
export function parseCommand<O extends OptionSpecs>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ParseResult<ParsedCommand<O>> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [flag, option] of Object.entries(spec.options)) {
    options[flag] =
      option.kind === 'boolean'
        ? { type: 'boolean', ...(option.short ? { short: option.short } : {}) }
        : { type: 'string', ...(option.kind === 'strings' ? { multiple: true } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (cause) {
    return refuse(spec, (cause as Error).message);
  }
  if (parsed.values.help) return { ok: true, value: { kind: 'help', text: helpText(spec) } };
  const positionals = parsed.positionals;
  const allowed = spec.positionals ?? { usage: '', min: 0, max: 0 };
  if (positionals.length < allowed.min || positionals.length > allowed.max) {
    return refuse(
      spec,
      allowed.max === 0
        ? `unexpected argument ${JSON.stringify(positionals[0])}`
        : `expected ${allowed.usage}, got ${positionals.length} argument(s)`,
    );
  }
  const values: Record<string, unknown> = {};
  for (const [flag, option] of Object.entries(spec.options)) {
    const given = parsed.values[flag];
    if (option.kind === 'boolean' || option.kind === 'strings') {
      if (given !== undefined) values[flag] = given;
      continue;
    }
    const raw = (given as string | undefined) ?? (option.env ? env[option.env] : undefined);
    if (raw === undefined) continue;
    const value = convert(flag, option, raw);
    if (!value.ok) return refuse(spec, value.error);
    values[flag] = value.value;
  }
  return { ok: true, value: { kind: 'run', values: values as OptionValues<O>, positionals } };
}

/** A program of several subcommands, such as `tuning-arena-miner run|keygen|history`. */
export interface ProgramSpec {
  name: string;
  summary: string;
  commands: Record<string, CommandSpec>;
}

/** The help text of a program: its commands with their summaries. */
export function programHelp(program: ProgramSpec): string {
  const names = Object.keys(program.commands);
  const width = Math.max(...names.map((name) => name.length)) + 4;
  const lines = names.map((name) => `  ${name.padEnd(width)}${program.commands[name]?.summary ?? ''}`);
  return `usage: ${program.name} <command> [options]\n${program.summary}\n\n${lines.join('\n')}\n\n${program.name} <command> --help shows a command's options.\n`;
}

/** Picks the subcommand named by `argv[0]`; `help`, `--help` and `-h` ask for the program's help. */
export function selectCommand(
  program: ProgramSpec,
  argv: readonly string[],
): ParseResult<{ kind: 'help'; text: string } | { kind: 'command'; name: string; rest: string[] }> {
  const [name, ...rest] = argv;
  const usage = programHelp(program);
  if (name === 'help' || name === '--help' || name === '-h')
    return { ok: true, value: { kind: 'help', text: usage } };
  if (name === undefined)
    return { ok: false, error: { code: 'usage_error', message: 'no command given', usage } };
  if (!Object.hasOwn(program.commands, name)) {
    return {
      ok: false,
      error: { code: 'usage_error', message: `unknown command ${JSON.stringify(name)}`, usage },
    };
  }
  return { ok: true, value: { kind: 'command', name, rest } };
}

/** A parsed program command line: the program's help, or one subcommand's help or values. */
type ParsedProgram =
  | { kind: 'help'; text: string }
  | { kind: 'run'; name: string; values: Record<string, unknown>; positionals: string[] };

/** Selects the subcommand and parses its flags in one step (usage errors name the subcommand's help). */
export function parseProgram(
  program: ProgramSpec,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ParseResult<ParsedProgram> {
  const selected = selectCommand(program, argv);
  if (!selected.ok) return selected;
  if (selected.value.kind === 'help') return selected as ParseResult<ParsedProgram>;
  const { name, rest } = selected.value;
  const parsed = parseCommand(program.commands[name] as CommandSpec, rest, env);
  if (!parsed.ok) return parsed;
  if (parsed.value.kind === 'help') return parsed as ParseResult<ParsedProgram>;
  return {
    ok: true,
    value: { kind: 'run', name, values: parsed.value.values, positionals: parsed.value.positionals },
  };
}
