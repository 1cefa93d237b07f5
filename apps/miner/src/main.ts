#!/usr/bin/env node
// Entry point of the `tuning-arena-miner` binary: wires the CLI to the process (argv, stdio, signals).
// Everything else lives in `cli.ts`.

import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  terminal: process.stderr,
  untilStopped: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
});
process.exitCode = code;
