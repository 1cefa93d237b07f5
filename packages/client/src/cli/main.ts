#!/usr/bin/env node
// Entry point of the `tuning-arena` operator command: wires the CLI to the process (argv, stdio, env).

import { runOperatorCli } from './operator-cli.js';

process.exitCode = await runOperatorCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
});
