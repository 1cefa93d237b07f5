// One step from parsed flags to the effective configuration: read `--config F` if given, merge flag > file >
// default, and type the result. Every command that takes knobs goes through here, so they all agree.

import type { Result } from '@tuning-arena/protocol';
import { readConfigFile } from './config-file.js';
import { type EffectiveConfig, type MinerSettings, resolveConfig, toSettings } from './config-resolve.js';
import type { ConfigError } from './config-value.js';

/** The effective configuration, its typed settings and the file it read. */
export interface LoadedConfig {
  effective: EffectiveConfig;
  settings: MinerSettings;
  file: string | undefined;
}

/** Reads the config file named by `values.config` (if any) and resolves the flags over it. */
export async function loadConfig(
  values: Readonly<Record<string, unknown>>,
): Promise<Result<LoadedConfig, ConfigError>> {
  const file = typeof values.config === 'string' ? values.config : undefined;
  const read = file === undefined ? { ok: true as const, value: new Map() } : await readConfigFile(file);
  if (!read.ok) return read;
  const effective = resolveConfig(values, read.value);
  if (!effective.ok) return effective;
  return { ok: true, value: { effective: effective.value, settings: toSettings(effective.value), file } };
}

/** A required setting's value, or a `missing_value` error naming its flag and key. */
export function requireSetting(
  value: string | undefined,
  key: string,
  flag: string,
): Result<string, ConfigError> {
  if (value !== undefined) return { ok: true, value };
  const message = `--${flag} (or ${key} in the config file) is required`;
  return {
    ok: false,
    error: { code: 'missing_value', message, key, issues: [{ path: `/${key}`, message }] },
  };
}
