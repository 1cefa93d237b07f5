// The `tuning-arena-miner` commands and their options, for node-kit's parser. `run`, `config print` and
// `benchmark` take every knob of config-knobs.ts as a flag plus `--config F`; what the commands do is
// cli.ts's and cli-run.ts's.

import type { ProgramSpec } from '@tuning-arena/node-kit';
import { knobOptions } from './config-knobs.js';

const dataDir = {
  kind: 'string',
  doc: "the miner's data directory (keys, ledger, benchmark, job files)",
  placeholder: 'dir',
} as const;

const configFile = {
  kind: 'string',
  doc: 'a YAML or JSON config file (flags win over it, it wins over the defaults)',
  placeholder: 'file',
} as const;

/** The miner's commands and their options. */
export const MINER_PROGRAM = {
  name: 'tuning-arena-miner',
  summary: 'A Tuning Arena miner: takes fine-tuning jobs from a validator, trains and submits.',
  commands: {
    keygen: {
      name: 'tuning-arena-miner keygen',
      summary: 'generate an ed25519 key pair (private key 0600) and print the public key to register',
      options: { 'data-dir': dataDir, config: configFile },
    },
    run: {
      name: 'tuning-arena-miner run',
      summary: 'connect to the validator and work on jobs until SIGINT/SIGTERM',
      options: { config: configFile, ...knobOptions() },
    },
    config: {
      name: 'tuning-arena-miner config',
      summary: 'print the effective configuration and where each value came from (default, file, flag)',
      positionals: { usage: 'print', min: 1, max: 1 },
      options: {
        config: configFile,
        json: {
          kind: 'boolean',
          doc: 'print JSON: {values, sources, file}; `values` is a valid config file',
        },
        ...knobOptions(),
      },
    },
    benchmark: {
      name: 'tuning-arena-miner benchmark',
      summary: "measure (once, cached in the data dir) this machine's training throughput for a model size",
      options: {
        params: { kind: 'integer', doc: 'parameter count of the model size to measure', placeholder: 'n' },
        config: configFile,
        ...knobOptions(),
      },
    },
    history: {
      name: 'tuning-arena-miner history',
      summary: 'print the ledger: offers, decisions and reasons, settings, submissions, recipes, results',
      options: {
        'data-dir': dataDir,
        config: configFile,
        json: { kind: 'boolean', doc: 'print JSON (camelCase keys, nested per job)' },
        csv: { kind: 'boolean', doc: 'print CSV (camelCase header, one line per submission)' },
        details: { kind: 'boolean', doc: 'print every detail as text blocks instead of the table' },
      },
    },
  },
} as const satisfies ProgramSpec;
