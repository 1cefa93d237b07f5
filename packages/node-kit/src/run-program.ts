// The shell every program of subcommands shares: parse the command line, print the program's or a
// subcommand's help (exit 0) or a usage error with its help (exit 2), else run the chosen command; an error
// the command throws is printed as `<tool>: <code>: <message>` (exit 1). It never calls `process.exit`.
// CLIs with their own error handling (the miner's, the operator's) call `commandOrExit` for the first part.

import { type ProgramSpec, parseProgram, USAGE_EXIT_CODE } from './args.js';

/** The subcommand a program was asked to run, with its option values and positionals. */
export interface ProgramCommand<P extends ProgramSpec> {
  name: keyof P['commands'] & string;
  values: Record<string, unknown>;
  positionals: string[];
}

/** Where a program reads its arguments and writes its text. */
export interface ProgramIo {
  argv: readonly string[];
  out(text: string): void;
  err(text: string): void;
}

/** The process's own arguments, stdout and stderr. */
const processIo = (): ProgramIo => ({
  argv: process.argv.slice(2),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

/**
 * The command `argv` asks `program` to run, or the exit code once a help request (0) or a usage error with
 * its help (USAGE_EXIT_CODE) has been printed on `io`.
 */
export function commandOrExit<P extends ProgramSpec>(
  program: P,
  argv: readonly string[],
  io: Pick<ProgramIo, 'out' | 'err'>,
  env: Readonly<Record<string, string | undefined>> = {},
): ProgramCommand<P> | number {
  const parsed = parseProgram(program, argv, env);
  if (!parsed.ok) {
    io.err(`${parsed.error.message}\n\n${parsed.error.usage}`);
    return USAGE_EXIT_CODE;
  }
  if (parsed.value.kind === 'help') {
    io.out(parsed.value.text);
    return 0;
  }
  const { name, values, positionals } = parsed.value;
  return { name, values, positionals };
}

/** Runs `program` on `io`'s command line; resolves with the exit code (0, 1 or USAGE_EXIT_CODE). */
export async function runProgram<P extends ProgramSpec>(
  program: P,
  tool: string,
  run: (command: ProgramCommand<P>) => Promise<void>,
  io: ProgramIo = processIo(),
): Promise<number> {
  const command = commandOrExit(program, io.argv, io);
  if (typeof command === 'number') return command;
  try {
    await run(command);
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    io.err(`${tool}: ${code ? `${code}: ` : ''}${(error as Error).message}\n`);
    return 1;
  }
}
