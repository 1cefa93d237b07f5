#!/usr/bin/env node
// One-command set-up for a fresh machine that has only Node.js 20+ and npm: brings pnpm 12 (locally,
// no global install needed), builds better-sqlite3 against the system Node headers when present,
// installs the workspace, builds it, then runs the requested job: `setup`, `demo` or `test`.
// Extra arguments after the job name are passed to the job (e.g. vitest reporters for `test`).
// TUNING_ARENA_SKIP_SETUP=1 skips the install and the build, for a caller (CI) that has just done both.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const PNPM_VERSION = '12.4.2';
const [job = 'setup', ...rest] = process.argv.slice(2);

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

/** Runs a command; a set-up step's stdout goes to our stderr, so the job's own output is all stdout holds. */
function run(cmd, args, env = process.env, { setup = false } = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: setup ? [0, 2, 2] : 'inherit', env });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function pnpmOnPath() {
  try {
    const version = execFileSync('pnpm', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return version.trim().startsWith('12.') ? 'pnpm' : undefined;
  } catch {
    return undefined;
  }
}

// Returns the pnpm to run; a locally installed one is also put first on PATH, since turbo and the
// workspace scripts call `pnpm` by name.
function ensurePnpm(env) {
  const onPath = pnpmOnPath();
  if (onPath) return onPath;
  const prefix = join(root, '.arena', 'tools');
  const local = join(prefix, 'node_modules', '.bin', process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm');
  if (!existsSync(local)) {
    log(`installing pnpm ${PNPM_VERSION} into ${prefix}`);
    run(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `pnpm@${PNPM_VERSION}`],
      process.env,
      { setup: true },
    );
  }
  env.PATH = `${dirname(local)}${delimiter}${env.PATH ?? ''}`;
  return local;
}

const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
const pnpm = ensurePnpm(env);
if (env.TUNING_ARENA_SKIP_SETUP === '1') {
  log('TUNING_ARENA_SKIP_SETUP=1: not installing or building');
} else {
  log('installing workspace dependencies');
  run(pnpm, ['install', '--frozen-lockfile', '--reporter=append-only'], env, { setup: true });
  log('building');
  run(pnpm, ['run', 'build'], env, { setup: true });
}

if (job === 'test') {
  run(pnpm, ['exec', 'vitest', 'run', ...rest], env);
} else if (job === 'demo') {
  run(process.execPath, [join(root, 'apps/demo/dist/main.js'), ...rest], env);
} else if (job !== 'setup') {
  log(`unknown job "${job}": use setup, demo or test`);
  process.exit(2);
}
