import { describe, expect, it } from 'vitest';
import type { ProgramSpec } from './args.js';
import { type ProgramCommand, runProgram } from './run-program.js';

const program = {
  name: 'tool',
  summary: 'does things',
  commands: {
    greet: {
      name: 'tool greet',
      summary: 'says hello',
      options: { loud: { kind: 'boolean', doc: 'shout' } },
      positionals: { usage: '<name>', min: 1, max: 1 },
    },
  },
} as const satisfies ProgramSpec;

/** Runs `program` on `argv`, capturing what it prints and what `run` received. */
async function runOn(argv: string[], run: (command: ProgramCommand<typeof program>) => Promise<void>) {
  const printed = { out: '', err: '' };
  const code = await runProgram(program, 'tool', run, {
    argv,
    out: (text) => {
      printed.out += text;
    },
    err: (text) => {
      printed.err += text;
    },
  });
  return { code, ...printed };
}

const never = async () => {
  throw new Error('must not run');
};

describe('running a program', () => {
  it('hands the chosen command its values and positionals, and exits 0', async () => {
    const seen: unknown[] = [];
    const ran = await runOn(['greet', 'ann', '--loud'], async (command) => {
      seen.push(command);
    });
    expect(ran).toEqual({ code: 0, out: '', err: '' });
    expect(seen).toEqual([{ name: 'greet', values: { loud: true }, positionals: ['ann'] }]);
  });

  it("prints the program's and a command's help on stdout without running anything", async () => {
    expect(await runOn(['--help'], never)).toMatchObject({ code: 0, out: expect.stringContaining('greet') });
    expect(await runOn(['greet', '--help'], never)).toMatchObject({
      code: 0,
      out: expect.stringContaining('--loud'),
    });
  });

  it('refuses a bad command line on stderr with the usage and exit code 2', async () => {
    for (const argv of [[], ['wave'], ['greet'], ['greet', 'ann', '--quiet']]) {
      const ran = await runOn(argv, never);
      expect(ran.code, argv.join(' ')).toBe(2);
      expect(ran.out).toBe('');
      expect(ran.err).toContain('usage: tool');
    }
  });

  it("prints a failing command's error with its code after the tool's name, and exits 1", async () => {
    const coded = Object.assign(new Error('no such model'), { code: 'unknown_model' });
    expect(
      await runOn(['greet', 'ann'], async () => {
        throw coded;
      }),
    ).toEqual({ code: 1, out: '', err: 'tool: unknown_model: no such model\n' });
    expect(
      await runOn(['greet', 'ann'], async () => {
        throw new Error('disk full');
      }),
    ).toMatchObject({ code: 1, err: 'tool: disk full\n' });
  });
});
