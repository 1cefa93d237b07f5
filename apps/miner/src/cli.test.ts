import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { PRIVATE_KEY_FILE } from './keys.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), untilStopped: async () => {} },
  };
}

describe('miner command line', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miner-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates a key pair, prints the public key and keeps the private key owner-only', async () => {
    const { out, io: cli } = io();
    expect(await runCli(['keygen', '--data-dir', dir], cli)).toBe(0);
    expect(out.join('').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(join(dir, PRIVATE_KEY_FILE))).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite an existing key', async () => {
    await runCli(['keygen', '--data-dir', dir], io().io);
    const { err, io: cli } = io();
    expect(await runCli(['keygen', '--data-dir', dir], cli)).toBe(1);
    expect(err.join('')).toContain('key_exists');
  });

  it('refuses an unknown trainer and a command trainer without its program', async () => {
    await runCli(['keygen', '--data-dir', dir], io().io);
    const base = ['run', '--data-dir', dir, '--validator', 'http://127.0.0.1:9'];
    expect(await runCli([...base, '--trainer', 'copy-base'], io().io)).toBe(2);
    expect(await runCli([...base, '--trainer', 'command'], io().io)).toBe(2);
  });

  it('prints the help of every subcommand with --help, and the program help with help', async () => {
    for (const command of ['run', 'keygen', 'history', 'config', 'benchmark']) {
      const { out, io: cli } = io();
      expect(await runCli([command, '--help'], cli), command).toBe(0);
      expect(out.join(''), command).toContain(`usage: tuning-arena-miner ${command}`);
    }
    const { out, io: cli } = io();
    expect(await runCli(['help'], cli)).toBe(0);
    expect(out.join('')).toContain('keygen');
    expect(await runCli([], io().io)).toBe(2);
  });

  it('refuses a capacity of 0 and a negative minimum time limit', async () => {
    const base = ['run', '--data-dir', dir, '--validator', 'http://127.0.0.1:9'];
    for (const flags of [
      ['--capacity', '0'],
      ['--capacity', '65'],
      ['--min-time-limit', '-1'],
      ['--log-level', 'loud'],
    ]) {
      const { err, io: cli } = io();
      expect(await runCli([...base, ...flags], cli), flags.join(' ')).toBe(2);
      expect(err.join(''), flags.join(' ')).toContain('usage: tuning-arena-miner run');
    }
  });

  it('rejects unknown flags and missing arguments with usage', async () => {
    expect(await runCli(['run', '--bogus'], io().io)).toBe(2);
    expect(await runCli(['history'], io().io)).toBe(2);
    expect(await runCli(['frobnicate', '--data-dir', dir], io().io)).toBe(2);
  });

  it('prints an empty history as text and JSON once a miner has run', async () => {
    await runCli(['keygen', '--data-dir', dir], io().io);
    const run = io();
    const code = await runCli(
      [
        'run',
        '--data-dir',
        dir,
        '--validator',
        'http://127.0.0.1:9',
        '--trainer',
        'command',
        '--trainer-command',
        'true',
        '--log-level',
        'error',
      ],
      run.io,
    );
    expect(code).toBe(0);
    const text = io();
    expect(await runCli(['history', '--data-dir', dir], text.io)).toBe(0);
    expect(text.out.join('')).toContain('no offers yet');
    const json = io();
    expect(await runCli(['history', '--data-dir', dir, '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join(''))).toEqual([]);
  });

  it('prints the effective config with each source, as a table and as JSON', async () => {
    const file = join(dir, 'miner.yaml');
    await writeFile(file, 'learning_rate: 0.001\nlora_r: 16\ncapacity: 2\n');
    const text = io();
    expect(await runCli(['config', 'print', '--config', file, '--lora-r', '32'], text.io)).toBe(0);
    const table = text.out.join('');
    expect(table).toMatch(/lora_r\s+32\s+flag/);
    expect(table).toMatch(/learning_rate\s+0\.001\s+file/);
    expect(table).toMatch(/min_time_limit\s+30\s+default/);
    const json = io();
    expect(await runCli(['config', 'print', '--config', file, '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join(''))).toMatchObject({
      values: { lora_r: 16, capacity: 2 },
      sources: { lora_r: 'file', capacity: 'file', threads: 'default' },
      file,
    });
  });

  it('refuses an unknown config key or a bad value with the key named, as a usage error', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'lora_rank: 8\n');
    const bad = io();
    expect(await runCli(['config', 'print', '--config', file], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('unknown_key');
    expect(bad.err.join('')).toContain('lora_rank');
    const flag = io();
    expect(await runCli(['config', 'print', '--lr', 'fast'], flag.io)).toBe(2);
    expect(flag.err.join('')).toContain('--lr');
    expect(await runCli(['config', 'show'], io().io)).toBe(2);
    const base = ['run', '--data-dir', dir, '--validator', 'http://127.0.0.1:9'];
    expect(await runCli([...base, '--strategy', 'red:nonsense'], io().io)).toBe(2);
  });

  it('takes the data dir and validator from the config file', async () => {
    const file = join(dir, 'miner.yaml');
    await writeFile(file, `data_dir: ${JSON.stringify(dir)}\n`);
    const { out, io: cli } = io();
    expect(await runCli(['keygen', '--config', file], cli)).toBe(0);
    expect(out.join('').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const csv = io();
    await runCli(
      ['run', '--config', file, '--validator', 'http://127.0.0.1:9', '--log-level', 'error'],
      io().io,
    );
    expect(await runCli(['history', '--config', file, '--csv'], csv.io)).toBe(0);
    expect(csv.out.join('')).toMatch(/^jobId,receivedAt,/);
    expect(await runCli(['history', '--config', file, '--csv', '--json'], io().io)).toBe(2);
  });
});
