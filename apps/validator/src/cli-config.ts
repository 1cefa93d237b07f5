// Decodes the CLI's flags and environment into a ValidatorConfig through the shared command-line parser
// (a boundary: returns a Result, never throws). Every row of the limits table becomes a flag. It starts
// nothing and does not generate the operator token (main.ts keeps that in the data directory).

import { defaultModelsDir } from '@tuning-arena/models';
import {
  type CommandSpec,
  helpText,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  type LogLevel,
  type OptionSpec,
  type ParseResult,
  parseCommand,
} from '@tuning-arena/node-kit';
import type { ValidatorConfig } from './config.js';
import { LIMIT_SPECS, type LimitName, type Limits } from './limits.js';

/** The CLI's configuration: the validator's settings; `operatorToken` is absent when none was given. */
interface CliConfig {
  config: Omit<ValidatorConfig, 'logger' | 'operatorToken'> & { operatorToken?: string };
  /** How the process logs. */
  log: { level: LogLevel; format: LogFormat };
}

const limitOptions = Object.fromEntries(
  Object.values(LIMIT_SPECS).map((spec): [string, OptionSpec] => [
    spec.flag,
    {
      kind: Number.isInteger(spec.value) && Number.isInteger(spec.min) ? 'integer' : 'number',
      doc: `${spec.doc} (default ${spec.value})`,
      min: spec.min,
      max: spec.max,
    },
  ]),
);

/** The validator's command line. */
const VALIDATOR_COMMAND = {
  name: 'tuning-arena-validator',
  summary: 'Runs a Tuning Arena validator: the operator API and the miner gateway on one port.',
  options: {
    port: {
      kind: 'integer',
      doc: 'port to listen on (default 8787; 0 = any free port)',
      env: 'ARENA_PORT',
      min: 0,
      max: 65535,
    },
    host: {
      kind: 'string',
      doc: 'interface to listen on (default 127.0.0.1)',
      env: 'ARENA_HOST',
      placeholder: 'addr',
    },
    'data-dir': {
      kind: 'string',
      doc: 'database, artifacts and job data (default ./validator-data)',
      env: 'ARENA_DATA_DIR',
      placeholder: 'dir',
    },
    'models-dir': {
      kind: 'string',
      doc: 'HF-style base model dirs from `pnpm models pretrain` (default .arena/models in the checkout)',
      env: 'ARENA_MODELS_DIR',
      placeholder: 'dir',
    },
    'dataset-dir': {
      kind: 'string',
      doc: 'operator datasets <name>.jsonl|.csv|.tsv beside the bundled ones (default <data-dir>/datasets)',
      env: 'ARENA_DATASET_DIR',
      placeholder: 'dir',
    },
    'operator-token': {
      kind: 'string',
      doc: 'operator API token (if absent: generated once into <data-dir>/operator-token, mode 0600, and reused)',
      env: 'ARENA_OPERATOR_TOKEN',
      placeholder: 'token',
    },
    'metrics-port': {
      kind: 'integer',
      doc: 'also serve GET /metrics on this port without a token (default: only on --port, behind the operator token)',
      env: 'ARENA_METRICS_PORT',
      min: 0,
      max: 65535,
    },
    'metrics-host': {
      kind: 'string',
      doc: 'interface of --metrics-port (default 127.0.0.1)',
      env: 'ARENA_METRICS_HOST',
      placeholder: 'addr',
    },
    'offer-ttl-seconds': { kind: 'integer', doc: 'default offer lifetime (default 30)', max: 3600 },
    'heartbeat-interval-ms': {
      kind: 'integer',
      doc: 'heartbeat interval (default 15000)',
      min: 100,
      max: 3_600_000,
    },
    'upload-grace-seconds': {
      kind: 'integer',
      doc: 'artifact uploads accepted this long after a deadline (default 60)',
      min: 0,
      max: 86_400,
    },
    'max-artifact-bytes': { kind: 'integer', doc: 'largest artifact upload (default 536870912)' },
    'evaluation-workers': {
      kind: 'integer',
      doc: 'evaluation loops, each with an engine worker thread (default: cores - 1, at least 1)',
      max: 256,
    },
    'evaluation-lease-ms': {
      kind: 'integer',
      doc: 'how long a claimed evaluation is held before another loop may take it over (default 60000)',
      min: 500,
      max: 86_400_000,
    },
    'evaluation-attempts': {
      kind: 'integer',
      doc: 'attempts at one model before it fails the format rule instead of blocking its job (default 3)',
      max: 100,
    },
    'log-level': {
      kind: 'choice',
      doc: 'least severe level logged (default info)',
      env: 'ARENA_LOG_LEVEL',
      choices: LOG_LEVELS,
    },
    'log-format': {
      kind: 'choice',
      doc: 'json lines, readable text, or auto (text on a terminal; default)',
      env: 'ARENA_LOG_FORMAT',
      choices: LOG_FORMATS,
    },
    ...limitOptions,
  },
} satisfies CommandSpec;

/** Usage text of `tuning-arena-validator`. */
export const USAGE = helpText(VALIDATOR_COMMAND);

/** Decodes argv (without node and script) and env; `--help` gives `{ ok: true, value: 'help' }`. */
export function parseCliConfig(
  argv: string[],
  env: Readonly<Record<string, string | undefined>>,
): ParseResult<CliConfig | 'help'> {
  const parsed = parseCommand(VALIDATOR_COMMAND, argv, env);
  if (!parsed.ok) return parsed;
  if (parsed.value.kind === 'help') return { ok: true, value: 'help' };
  const values = parsed.value.values as Record<string, string | number | undefined>;
  const str = (flag: string) => values[flag] as string | undefined;
  const int = (flag: string) => values[flag] as number | undefined;
  const limits: Partial<Limits> = {};
  for (const [name, spec] of Object.entries(LIMIT_SPECS) as [LimitName, (typeof LIMIT_SPECS)[LimitName]][]) {
    const value = int(spec.flag);
    if (value !== undefined) limits[name] = value;
  }
  const token = str('operator-token');
  const datasetDir = str('dataset-dir');
  const offerTtlSeconds = int('offer-ttl-seconds');
  const heartbeatIntervalMs = int('heartbeat-interval-ms');
  const uploadGraceSeconds = int('upload-grace-seconds');
  const maxArtifactBytes = int('max-artifact-bytes');
  const metricsPort = int('metrics-port');
  const metricsHost = str('metrics-host');
  if (metricsHost !== undefined && metricsPort === undefined) {
    const message = '--metrics-host needs --metrics-port';
    return { ok: false, error: { code: 'usage_error', message, usage: USAGE } };
  }
  const config: CliConfig['config'] = {
    host: str('host') ?? '127.0.0.1',
    port: int('port') ?? 8787,
    dataDir: str('data-dir') ?? './validator-data',
    modelsDir: defaultModelsDir(str('models-dir')),
    ...(datasetDir === undefined ? {} : { datasetDir }),
    ...(token ? { operatorToken: token } : {}),
    ...(offerTtlSeconds === undefined ? {} : { offerTtlSeconds }),
    ...(heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs }),
    ...(uploadGraceSeconds === undefined ? {} : { uploadGraceSeconds }),
    ...(maxArtifactBytes === undefined ? {} : { maxArtifactBytes }),
    limits,
    // One validator per CLI process, so the process metrics are its own.
    metrics: {
      process: true,
      ...(metricsPort === undefined ? {} : { port: metricsPort }),
      ...(metricsHost === undefined ? {} : { host: metricsHost }),
    },
    evaluation: {
      ...(int('evaluation-workers') === undefined ? {} : { poolSize: int('evaluation-workers') as number }),
      ...(int('evaluation-lease-ms') === undefined ? {} : { leaseMs: int('evaluation-lease-ms') as number }),
      ...(int('evaluation-attempts') === undefined
        ? {}
        : { maxAttempts: int('evaluation-attempts') as number }),
    },
  };
  const log = {
    level: (str('log-level') ?? 'info') as LogLevel,
    format: (str('log-format') ?? 'auto') as LogFormat,
  };
  return { ok: true, value: { config, log } };
}
