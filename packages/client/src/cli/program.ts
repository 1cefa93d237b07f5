// The operator CLI's commands and their flags, in the shared argument parser's terms: one table that gives
// both the parsing and every `--help` text. It runs nothing; operator-cli.ts does.

import type { ProgramSpec } from '@tuning-arena/node-kit';

const url = {
  kind: 'string',
  doc: 'validator URL (default: the config file, else http://127.0.0.1:8787)',
  env: 'ARENA_URL',
} as const;
const token = {
  kind: 'string',
  doc: 'operator token (default: the config file)',
  env: 'ARENA_OPERATOR_TOKEN',
} as const;
const config = {
  kind: 'string',
  doc: 'JSON file {"url", "token"} read for what neither a flag nor the environment gives',
  env: 'ARENA_CONFIG',
  placeholder: 'path',
} as const;
const json = { kind: 'boolean', doc: 'print JSON instead of a table' } as const;
const common = { url, token, config } as const;
const competitionId = { kind: 'string', doc: 'competition id (required)', placeholder: 'id' } as const;
const one = (usage: string) => ({ usage, min: 1, max: 1 });

/** The operator CLI's commands. */
export const OPERATOR_PROGRAM = {
  name: 'tuning-arena',
  summary: 'Operate a Tuning Arena validator: competitions, miners, jobs, scores, rules and the audit log.',
  commands: {
    'competition create': {
      name: 'tuning-arena competition create',
      summary: 'create a competition and print its id',
      options: {
        ...common,
        json,
        name: { kind: 'string', doc: 'its name (required)' },
        'max-miners': { kind: 'integer', doc: 'miners in total (default 20)' },
        'max-miners-per-owner': { kind: 'integer', doc: 'miners per owner (default 5)' },
        'starts-at': { kind: 'string', doc: 'ISO time offers may start (default now)', placeholder: 'time' },
        'ends-at': { kind: 'string', doc: 'ISO time it ends (default: no end)', placeholder: 'time' },
        'program-file': {
          kind: 'string',
          doc: 'its program, JSON or YAML (.yaml/.yml)',
          placeholder: 'path',
        },
      },
    },
    'competition list': {
      name: 'tuning-arena competition list',
      summary: 'list competitions',
      options: { ...common, json },
    },
    'competition show': {
      name: 'tuning-arena competition show',
      summary: 'one competition with its miners and jobs',
      options: { ...common, json },
      positionals: one('<id>'),
    },
    'miner register': {
      name: 'tuning-arena miner register',
      summary: "register a miner's public key for an owner and print the miner id",
      options: {
        ...common,
        json,
        competition: competitionId,
        'key-file': {
          kind: 'string',
          doc: "the miner's public key file (miner-key.pub from keygen)",
          placeholder: 'path',
        },
        key: { kind: 'string', doc: 'the public key itself, instead of --key-file' },
        owner: { kind: 'string', doc: 'the person the miner belongs to (required)' },
        name: { kind: 'string', doc: 'display name (default: the owner)' },
      },
    },
    'miner list': {
      name: 'tuning-arena miner list',
      summary: "a competition's miners, connected or not",
      options: { ...common, json, competition: competitionId },
    },
    'job create': {
      name: 'tuning-arena job create',
      summary: 'offer a fine-tuning job and print its id',
      options: {
        ...common,
        json,
        competition: competitionId,
        model: { kind: 'string', doc: 'base model id (tuning-arena models)' },
        dataset: { kind: 'string', doc: 'bundled dataset or a file in the validator --dataset-dir' },
        'time-limit': { kind: 'integer', doc: 'seconds to train (required)', placeholder: 'seconds' },
        miners: { kind: 'integer', doc: 'miners wanted (default 1)' },
        'offer-ttl': { kind: 'integer', doc: 'seconds an offer stays open', placeholder: 'seconds' },
        'max-rows': { kind: 'integer', doc: 'rows sampled from the dataset', min: 10 },
      },
    },
    'job list': {
      name: 'tuning-arena job list',
      summary: "a competition's jobs",
      options: { ...common, json, competition: competitionId },
    },
    'job show': {
      name: 'tuning-arena job show',
      summary: 'a job with its offers, progress and submissions',
      options: { ...common, json },
      positionals: one('<job id>'),
    },
    'job watch': {
      name: 'tuning-arena job watch',
      summary: "follow a job live until it ends: each miner's step, loss and upload",
      options: {
        ...common,
        interval: { kind: 'integer', doc: 'ms between refreshes (default 1000)', min: 100 },
      },
      positionals: one('<job id>'),
    },
    'job cancel': {
      name: 'tuning-arena job cancel',
      summary: 'cancel an offering or running job',
      options: { ...common, json },
      positionals: one('<job id>'),
    },
    'job results': {
      name: 'tuning-arena job results',
      summary:
        "a job's report: evaluation state, base losses, each submission's losses, q, interval and flags",
      options: { ...common, json },
      positionals: one('<job id>'),
    },
    models: {
      name: 'tuning-arena models',
      summary: 'base models the validator can offer',
      options: { ...common, json },
    },
    leaderboard: {
      name: 'tuning-arena leaderboard',
      summary: 'miners and owners ranked by the product of their qualities, with award eligibility',
      options: { ...common, json, competition: competitionId },
    },
    'rules list': {
      name: 'tuning-arena rules list',
      summary: "a competition's integrity rules: enabled, action, parameters (* = changed from default)",
      options: { ...common, json, competition: competitionId },
    },
    'rules set': {
      name: 'tuning-arena rules set',
      summary:
        'switch a rule, change its action or parameters (audited); re-score to apply it to scored jobs',
      options: {
        ...common,
        json,
        competition: competitionId,
        enabled: { kind: 'choice', doc: 'switch the rule on or off', choices: ['true', 'false'] },
        action: {
          kind: 'choice',
          doc: 'what a failure does',
          choices: ['zero', 'miss', 'worse_of', 'flag'],
        },
        param: {
          kind: 'strings',
          doc: 'a parameter, repeatable; value as JSON if it parses, else text; a.b=v for nested ones',
          placeholder: 'key=value',
        },
      },
      positionals: one('<rule>'),
    },
    rescore: {
      name: 'tuning-arena rescore',
      summary: 'recompute scores from stored facts (no re-evaluation): one job, or every evaluated job',
      options: {
        ...common,
        json,
        competition: { kind: 'string', doc: 'every evaluated job of this competition', placeholder: 'id' },
        job: { kind: 'string', doc: 'only this job', placeholder: 'id' },
      },
    },
    'program show': {
      name: 'tuning-arena program show',
      summary: "a competition's program: phases, jobs made, what comes next",
      options: { ...common, json, competition: competitionId },
    },
    'program set': {
      name: 'tuning-arena program set',
      summary: 'store or replace the program (its secret seed is kept) from a JSON or YAML file',
      options: {
        ...common,
        json,
        competition: competitionId,
        file: {
          kind: 'string',
          doc: 'the program, JSON or YAML (.yaml/.yml) (required)',
          placeholder: 'path',
        },
      },
    },
    'program pause': {
      name: 'tuning-arena program pause',
      summary: 'make no new program job until resumed (running jobs go on)',
      options: { ...common, json, competition: competitionId },
    },
    'program resume': {
      name: 'tuning-arena program resume',
      summary: 'let a paused program make jobs again',
      options: { ...common, json, competition: competitionId },
    },
    'program end': {
      name: 'tuning-arena program end',
      summary: 'end the program for good (manual jobs still work)',
      options: {
        ...common,
        json,
        competition: competitionId,
        reason: { kind: 'string', doc: 'why, for the record' },
      },
    },
    audit: {
      name: 'tuning-arena audit',
      summary: 'rule changes and re-scores of a competition, newest first: who, when, what',
      options: { ...common, json, competition: competitionId },
    },
  },
} as const satisfies ProgramSpec;
