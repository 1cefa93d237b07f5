// Decodes the CLI's flags and environment into a ValidatorConfig (a boundary: returns a Result, never
// throws). Generates an operator token when none is given. It starts nothing.

import { parseArgs } from 'node:util';
import { defaultModelsDir } from '@tuning-arena/datasets';
import { fail, ok, type Result } from '@tuning-arena/protocol';
import type { ValidatorConfig } from './config.js';
import { LIMIT_SPECS, type LimitName, type Limits } from './limits.js';

/** The CLI's configuration: the validator's settings; `operatorToken` is absent when none was given. */
export interface CliConfig {
  config: Omit<ValidatorConfig, 'logger' | 'operatorToken'> & { operatorToken?: string };
}

/** Usage text of `tuning-arena-validator`. */
export const USAGE = `Usage: tuning-arena-validator [options]
  --port <n>                  port to listen on (env ARENA_PORT, default 8787; 0 = any free port)
  --host <addr>               interface to listen on (env ARENA_HOST, default 127.0.0.1)
  --data-dir <dir>            database, artifacts and job data (env ARENA_DATA_DIR, default ./validator-data)
  --models-dir <dir>          HF-style base model dirs, e.g. from \`pnpm models pretrain\` (env ARENA_MODELS_DIR,
                              default .arena/models in the checkout)
  --dataset-dir <dir>         operator datasets <name>.jsonl|.csv|.tsv beside the bundled ones (env ARENA_DATASET_DIR, default <data-dir>/datasets)
  --operator-token <token>    operator API token (env ARENA_OPERATOR_TOKEN; if absent, generated once
                              into <data-dir>/operator-token, mode 0600, and reused)
  --offer-ttl-seconds <n>     default offer lifetime (default 30)
  --heartbeat-interval-ms <n> heartbeat interval (default 15000)
  --upload-grace-seconds <n>  artifact uploads accepted this long after a deadline (default 60)
  --max-artifact-bytes <n>    largest artifact upload (default 536870912)
  --help                      print this text
Limits on untrusted input (see the README's Security section):
${Object.values(LIMIT_SPECS)
  .map((spec) => `  --${spec.flag} <n>`.padEnd(42) + `${spec.doc} (default ${spec.value})`)
  .join('\n')}`;

const LIMIT_OPTIONS = Object.fromEntries(
  Object.values(LIMIT_SPECS).map((spec) => [spec.flag, { type: 'string' } as const]),
);

const OPTIONS = {
  ...LIMIT_OPTIONS,
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'models-dir': { type: 'string' },
  'dataset-dir': { type: 'string' },
  'operator-token': { type: 'string' },
  'offer-ttl-seconds': { type: 'string' },
  'heartbeat-interval-ms': { type: 'string' },
  'upload-grace-seconds': { type: 'string' },
  'max-artifact-bytes': { type: 'string' },
  help: { type: 'boolean' },
} as const;

function number(name: string, raw: string | undefined, min: number, max: number): Result<number | undefined> {
  if (raw === undefined) return ok(undefined);
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    return fail('invalid_body', `--${name} must be a number in [${min}, ${max}]`, [
      { path: `/${name}`, message: `got ${JSON.stringify(raw)}` },
    ]);
  }
  return ok(value);
}

function integer(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
): Result<number | undefined> {
  if (raw === undefined) return ok(undefined);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return fail('invalid_body', `--${name} must be an integer in [${min}, ${max}]`, [
      { path: `/${name}`, message: `got ${JSON.stringify(raw)}` },
    ]);
  }
  return ok(value);
}

/** Decodes argv (without node and script) and env; `help` is returned as `{ ok: true, value: 'help' }`. */
export function parseCliConfig(argv: string[], env: NodeJS.ProcessEnv): Result<CliConfig | 'help'> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (cause) {
    return fail('invalid_body', (cause as Error).message);
  }
  if (values.help) return ok('help');
  const str = (name: string, envName: string) =>
    (values[name] as string | undefined) ?? env[envName] ?? undefined;
  const numbers = {
    port: integer('port', str('port', 'ARENA_PORT') ?? '8787', 0, 65535),
    offerTtlSeconds: integer('offer-ttl-seconds', str('offer-ttl-seconds', ''), 1, 3600),
    heartbeatIntervalMs: integer('heartbeat-interval-ms', str('heartbeat-interval-ms', ''), 100, 3_600_000),
    uploadGraceSeconds: integer('upload-grace-seconds', str('upload-grace-seconds', ''), 0, 86_400),
    maxArtifactBytes: integer(
      'max-artifact-bytes',
      str('max-artifact-bytes', ''),
      1,
      Number.MAX_SAFE_INTEGER,
    ),
  };
  const parsed: Record<string, number | undefined> = {};
  for (const [key, result] of Object.entries(numbers)) {
    if (!result.ok) return result;
    parsed[key] = result.value;
  }
  const limits: Partial<Limits> = {};
  for (const [name, spec] of Object.entries(LIMIT_SPECS) as [LimitName, (typeof LIMIT_SPECS)[LimitName]][]) {
    const result =
      Number.isInteger(spec.value) && Number.isInteger(spec.min)
        ? integer(spec.flag, values[spec.flag] as string | undefined, spec.min, spec.max)
        : number(spec.flag, values[spec.flag] as string | undefined, spec.min, spec.max);
    if (!result.ok) return result;
    if (result.value !== undefined) limits[name] = result.value;
  }
  const givenToken = str('operator-token', 'ARENA_OPERATOR_TOKEN');
  const config: CliConfig['config'] = {
    host: str('host', 'ARENA_HOST') ?? '127.0.0.1',
    port: parsed.port,
    dataDir: str('data-dir', 'ARENA_DATA_DIR') ?? './validator-data',
    modelsDir: defaultModelsDir(str('models-dir', 'ARENA_MODELS_DIR')),
    datasetDir: str('dataset-dir', 'ARENA_DATASET_DIR'),
    ...(givenToken ? { operatorToken: givenToken } : {}),
    offerTtlSeconds: parsed.offerTtlSeconds,
    heartbeatIntervalMs: parsed.heartbeatIntervalMs,
    uploadGraceSeconds: parsed.uploadGraceSeconds,
    maxArtifactBytes: parsed.maxArtifactBytes,
    limits,
  };
  return ok({ config });
}
