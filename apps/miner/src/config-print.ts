// `tuning-arena-miner config print`: the effective configuration with the source of each value (default,
// file, flag), as a table or as JSON whose `values` object is itself a valid config file. Formatting only.

import { renderTable } from '@tuning-arena/node-kit';
import { KNOBS } from './config-knobs.js';
import { type EffectiveConfig, TRAINING_KEYS, type ValueSource } from './config-resolve.js';

/** `config print --json`: the set values by key (a config file as-is) and every knob's source. */
export interface ConfigPrintJson {
  values: Record<string, unknown>;
  sources: Record<string, ValueSource>;
  /** Where the config file was read from, if one was given. */
  file: string | null;
}

/** The effective configuration as JSON data. */
export function configJson(config: EffectiveConfig, file: string | undefined): ConfigPrintJson {
  const values: Record<string, unknown> = {};
  const sources: Record<string, ValueSource> = {};
  for (const [key, { value, source }] of config) {
    if (value !== undefined) values[key] = value;
    sources[key] = source;
  }
  return { values, sources, file: file ?? null };
}

/** The effective configuration as a table: key, value, source, flag. */
export function formatConfig(config: EffectiveConfig, file: string | undefined): string {
  const rows: string[][] = [['key', 'value', 'source', 'flag']];
  for (const knob of KNOBS) {
    const entry = config.get(knob.key);
    const value = entry?.value;
    const shown =
      value === undefined
        ? TRAINING_KEYS.has(knob.key)
          ? '(strategy chooses)'
          : '(unset)'
        : Array.isArray(value)
          ? value.join(',')
          : String(value);
    rows.push([knob.key, shown, entry?.source ?? 'default', `--${knob.flag}`]);
  }
  const header = file === undefined ? 'no config file\n' : `config file ${file}\n`;
  return `${header}${renderTable(rows)}\n`;
}
