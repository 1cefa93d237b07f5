// The miner's config file (`--config F`): YAML or JSON (JSON is YAML), one flat mapping of the keys in
// config-knobs.ts. Reading it is a boundary: a bounded read and the protocol's bounded YAML parser, then
// every key checked; the answer is a Result naming the offending key, never a throw. It never writes.

import { readFile } from 'node:fs/promises';
import { parseBoundedYaml, type Result } from '@tuning-arena/protocol';
import { type KnobValue, knobByKey } from './config-knobs.js';
import { type ConfigError, type ConfigErrorCode, decodeKnobValue } from './config-value.js';

/** A config file larger than this is refused before it is parsed. */
export const MAX_CONFIG_BYTES = 64 * 1024;

/** The decoded values of a config file, by key. */
export type ConfigFileValues = ReadonlyMap<string, KnobValue>;

function refuse(path: string, code: ConfigErrorCode, message: string, key?: string) {
  const error: ConfigError = { code, message: `config file ${path}: ${message}`, issues: [] };
  if (key !== undefined) {
    error.key = key;
    error.issues.push({ path: `/${key}`, message });
  }
  return { ok: false, error } as const;
}

/** Decodes a config file's text: a mapping whose keys are all known and whose values all fit. */
export function decodeConfigText(path: string, text: string): Result<ConfigFileValues, ConfigError> {
  const parsed = parseBoundedYaml(text, {
    maxBytes: MAX_CONFIG_BYTES,
    maxDepth: 3,
    maxValues: 2000,
    maxStringLength: 4000,
  });
  if (!parsed.ok) return refuse(path, 'config_syntax', parsed.error.message);
  // An empty file is an empty configuration.
  if (parsed.value === null) return { ok: true, value: new Map() };
  if (typeof parsed.value !== 'object' || Array.isArray(parsed.value))
    return refuse(path, 'config_not_mapping', 'expected a mapping of keys to values');
  const values = new Map<string, KnobValue>();
  for (const [key, raw] of Object.entries(parsed.value as Record<string, unknown>)) {
    const knob = knobByKey(key);
    if (!knob) return refuse(path, 'unknown_key', `unknown key ${JSON.stringify(key)}`, key);
    // `key:` with nothing after it leaves the knob at its default.
    if (raw === null) continue;
    const value = decodeKnobValue(knob, raw, 'file');
    if (!value.ok) return refuse(path, value.error.code, value.error.message, key);
    values.set(key, value.value);
  }
  return { ok: true, value: values };
}

/** Reads and decodes the config file at `path`. */
export async function readConfigFile(path: string): Promise<Result<ConfigFileValues, ConfigError>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    return refuse(path, 'config_unreadable', (cause as Error).message);
  }
  if (bytes.byteLength > MAX_CONFIG_BYTES)
    return refuse(path, 'config_too_large', `larger than ${MAX_CONFIG_BYTES} bytes`);
  return decodeConfigText(path, bytes.toString('utf8'));
}
