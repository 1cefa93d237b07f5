// Where the operator CLI connects: `--url`/`--token`, else ARENA_URL/ARENA_OPERATOR_TOKEN, else the JSON config
// file named by `--config` or $ARENA_CONFIG (`{"url": ..., "token": ...}`), else the default URL. Reading the
// file is a boundary: a bounded read, decoded into a Result, never a throw. It never writes a config file.

import { readFile } from 'node:fs/promises';
import { type Static, Type } from '@sinclair/typebox';
import { decodeBody, type Issue, type Result } from '@tuning-arena/protocol';

/** The URL used when no flag, environment variable or config file names one. */
export const DEFAULT_URL = 'http://127.0.0.1:8787';

/** The config file larger than this is refused before it is parsed (it holds two strings). */
const MAX_CONFIG_BYTES = 64 * 1024;

/** The config file: both fields optional, nothing else allowed (a typo must not be ignored silently). */
export const OperatorConfigFile = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
/** The config file's contents. */
export type OperatorConfigFile = Static<typeof OperatorConfigFile>;

/** Why a config file was refused: it could not be read, or it is not the JSON object above. */
export interface ConfigFileError {
  code: 'config_unreadable' | 'invalid_config';
  message: string;
  issues: Issue[];
}

/** Reads and decodes a config file. */
export async function readConfigFile(path: string): Promise<Result<OperatorConfigFile, ConfigFileError>> {
  const refuse = (code: ConfigFileError['code'], message: string, issues: Issue[] = []) =>
    ({ ok: false, error: { code, message: `config file ${path}: ${message}`, issues } }) as const;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    return refuse('config_unreadable', (cause as Error).message);
  }
  if (bytes.byteLength > MAX_CONFIG_BYTES) {
    return refuse('invalid_config', `larger than ${MAX_CONFIG_BYTES} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    return refuse('invalid_config', `not JSON (${(cause as Error).message})`);
  }
  const decoded = decodeBody(OperatorConfigFile, parsed);
  if (!decoded.ok) {
    const issues = decoded.error.issues;
    return refuse(
      'invalid_config',
      `expected {"url"?, "token"?}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return { ok: true, value: decoded.value };
}

/** The connection settings a command runs with. */
export interface Connection {
  url: string;
  token?: string;
}

const present = (value: string | undefined) => (value === '' ? undefined : value);

/**
 * Applies the precedence: `given` holds what the flags or else the environment said (the argument parser
 * already prefers a flag to its variable); the config file fills in what is still missing. An empty value
 * (`ARENA_URL=`) counts as unset.
 */
export function resolveConnection(
  given: { url?: string | undefined; token?: string | undefined },
  file: OperatorConfigFile | undefined,
): Connection {
  const token = present(given.token) ?? file?.token;
  return { url: present(given.url) ?? file?.url ?? DEFAULT_URL, ...(token === undefined ? {} : { token }) };
}
