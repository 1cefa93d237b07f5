import { describe, expect, it } from 'vitest';
import { type CommandSpec, helpText, parseCommand, parseProgram, selectCommand } from './args.js';

const run = {
  name: 'tool run',
  summary: 'runs the thing',
  options: {
    'data-dir': { kind: 'string', doc: 'where state lives', env: 'TOOL_DIR' },
    capacity: { kind: 'integer', doc: 'jobs at once', max: 64 },
    grace: { kind: 'integer', doc: 'seconds of grace', min: 0 },
    rate: { kind: 'number', doc: 'per second', min: 0 },
    level: { kind: 'choice', doc: 'log level', choices: ['info', 'debug'] },
    arg: { kind: 'strings', doc: 'repeatable' },
    json: { kind: 'boolean', doc: 'machine output' },
  },
} as const satisfies CommandSpec;

describe('command-line parsing', () => {
  it('parses typed values, repeated strings and environment fallbacks', () => {
    const parsed = parseCommand(
      run,
      ['--capacity', '3', '--grace', '0', '--rate', '0.5', '--arg', 'a', '--arg', 'b', '--json'],
      { TOOL_DIR: '/d' },
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        kind: 'run',
        positionals: [],
        values: { 'data-dir': '/d', capacity: 3, grace: 0, rate: 0.5, arg: ['a', 'b'], json: true },
      },
    });
  });

  it('refuses zero where zero is meaningless, out-of-range, non-integer and unknown values with usage_error', () => {
    for (const argv of [
      ['--capacity', '0'],
      ['--capacity', '65'],
      ['--capacity', '1.5'],
      ['--capacity', ''],
      ['--grace', '-1'],
      ['--rate', 'NaN'],
      ['--level', 'loud'],
      ['--frobnicate'],
      ['stray'],
    ]) {
      const parsed = parseCommand(run, argv);
      expect(parsed.ok, argv.join(' ')).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.code).toBe('usage_error');
        expect(parsed.error.usage).toContain('--capacity');
      }
    }
  });

  it('answers --help and -h on every command with its own options', () => {
    for (const flag of ['--help', '-h']) {
      const parsed = parseCommand(run, [flag, '--capacity', '0']);
      expect(parsed.ok && parsed.value.kind).toBe('help');
    }
    const text = helpText(run);
    expect(text).toContain('usage: tool run');
    expect(text).toContain('--data-dir <value>');
    expect(text).toContain('(env TOOL_DIR)');
    expect(text).toContain('--level info|debug');
  });

  it('checks the number of positional arguments', () => {
    const check = {
      name: 'tool check',
      summary: 's',
      options: {},
      positionals: { usage: '<file>', min: 1, max: 1 },
    };
    expect(parseCommand(check, ['a.jsonl'])).toMatchObject({ ok: true, value: { positionals: ['a.jsonl'] } });
    expect(parseCommand(check, []).ok).toBe(false);
    expect(parseCommand(check, ['a', 'b']).ok).toBe(false);
  });

  it('selects a subcommand, and gives the program help for help, --help and nothing', () => {
    const program = { name: 'tool', summary: 'a tool', commands: { run } };
    expect(selectCommand(program, ['run', '--json'])).toEqual({
      ok: true,
      value: { kind: 'command', name: 'run', rest: ['--json'] },
    });
    for (const argv of [['help'], ['--help'], ['-h']]) {
      expect(selectCommand(program, argv)).toMatchObject({ ok: true, value: { kind: 'help' } });
    }
    expect(selectCommand(program, [])).toMatchObject({ ok: false, error: { code: 'usage_error' } });
    expect(selectCommand(program, ['walk'])).toMatchObject({ ok: false, error: { code: 'usage_error' } });
    expect(selectCommand(program, ['__proto__'])).toMatchObject({
      ok: false,
      error: { code: 'usage_error' },
    });
  });

  it("parses a program command line in one step: its help, a command's help, values, or a usage error", () => {
    const program = { name: 'tool', summary: 'a tool', commands: { run } };
    expect(parseProgram(program, ['run', '--capacity', '2'])).toEqual({
      ok: true,
      value: { kind: 'run', name: 'run', values: { capacity: 2 }, positionals: [] },
    });
    expect(parseProgram(program, ['run', '--help'])).toMatchObject({
      ok: true,
      value: { kind: 'help', text: expect.stringContaining('usage: tool run') },
    });
    expect(parseProgram(program, ['--help'])).toMatchObject({ ok: true, value: { kind: 'help' } });
    expect(parseProgram(program, ['run', '--capacity', '0'])).toMatchObject({
      ok: false,
      error: { code: 'usage_error' },
    });
  });
});
