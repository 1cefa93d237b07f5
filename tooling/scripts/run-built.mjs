#!/usr/bin/env node
// Runs a workspace CLI from its compiled dist after an up-to-date check: builds the package and what it
// depends on with their own build scripts, quietly (the build's output is shown only when it fails), so
// `pnpm datasets ...` and `pnpm models ...` print only what the command itself prints.
// Usage: node tooling/scripts/run-built.mjs <package name> <path of the compiled entry> [args...]
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const [pkg, entry, ...args] = process.argv.slice(2);
if (!pkg || !entry) {
  process.stderr.write('usage: run-built.mjs <package> <entry> [args...]\n');
  process.exit(2);
}
const build = spawnSync('pnpm', ['--silent', '--filter', `${pkg}...`, 'build'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (build.error || build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  process.stderr.write(`building ${pkg} failed\n`);
  process.exit(build.status || 1);
}
const result = spawnSync(process.execPath, [resolve(root, entry), ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
