// Decodes one knob's value, from a config file (typed YAML/JSON data) or from a flag (text), against the
// knob's kind and bounds. The same checks run for both, so a value is refused the same way wherever it came
// from, with the key and flag named. Pure; the file itself is config-file.ts's.

import type { Issue, Result } from '@tuning-arena/protocol';
import type { KnobSpec, KnobValue } from './config-knobs.js';

/** Why a configuration was refused; a closed list. */
export type ConfigErrorCode =
  | 'config_unreadable'
  | 'config_too_large'
  | 'config_syntax'
  | 'config_not_mapping'
  | 'unknown_key'
  | 'invalid_value'
  | 'missing_value';

/** A refused configuration: the code, the key (when one is to blame) and a message naming it. */
export interface ConfigError {
  code: ConfigErrorCode;
  message: string;
  /** The config-file key to blame, if any. */
  key?: string;
  issues: Issue[];
}

/** Where a value came from. */
export type ConfigSource = 'flag' | 'file';

/** A failed result naming `knob`. */
export function invalidValue(
  knob: KnobSpec,
  from: ConfigSource,
  expected: string,
  raw: unknown,
): { ok: false; error: ConfigError } {
  const where = from === 'flag' ? `--${knob.flag}` : knob.key;
  const message = `${where} must be ${expected} (got ${JSON.stringify(raw)})`;
  return {
    ok: false,
    error: { code: 'invalid_value', message, key: knob.key, issues: [{ path: `/${knob.key}`, message }] },
  };
}

function range(knob: KnobSpec): string {
  if (knob.min !== undefined && knob.min === knob.max) return `equal to ${knob.min}`;
  const low = knob.min === undefined ? '' : `${knob.exclusiveMin ? '>' : '>='} ${knob.min}`;
  const high = knob.max === undefined ? '' : `${knob.exclusiveMax ? '<' : '<='} ${knob.max}`;
  return [low, high].filter(Boolean).join(' and ');
}

function inRange(knob: KnobSpec, value: number): boolean {
  if (knob.min !== undefined && (knob.exclusiveMin ? value <= knob.min : value < knob.min)) return false;
  if (knob.max !== undefined && (knob.exclusiveMax ? value >= knob.max : value > knob.max)) return false;
  return true;
}

function decodeNumber(knob: KnobSpec, raw: unknown, from: ConfigSource): Result<KnobValue, ConfigError> {
  const value =
    typeof raw === 'number'
      ? raw
      : from === 'flag' && typeof raw === 'string' && raw.trim() !== ''
        ? Number(raw)
        : Number.NaN;
  const whole = knob.kind === 'integer' ? Number.isSafeInteger(value) : Number.isFinite(value);
  const bounds = range(knob);
  const expected = `${knob.kind === 'integer' ? 'an integer' : 'a number'}${bounds ? ` ${bounds}` : ''}`;
  if (!whole || !inRange(knob, value)) return invalidValue(knob, from, expected, raw);
  return { ok: true, value };
}

function decodeStrings(knob: KnobSpec, raw: unknown, from: ConfigSource): Result<KnobValue, ConfigError> {
  const items = typeof raw === 'string' ? [raw] : raw;
  const expected = knob.choices ? `a list of ${knob.choices.join(', ')}` : 'a list of strings';
  if (!Array.isArray(items) || items.some((item) => typeof item !== 'string'))
    return invalidValue(knob, from, expected, raw);
  // Lists of choices may also be written comma-separated (`--lora-target-modules c_attn,c_fc`).
  const values = knob.choices
    ? (items as string[]).flatMap((item) => item.split(',')).map((item) => item.trim())
    : (items as string[]);
  if (knob.choices && values.some((value) => !knob.choices?.includes(value)))
    return invalidValue(knob, from, expected, raw);
  if (knob.choices && values.length === 0) return invalidValue(knob, from, expected, raw);
  return { ok: true, value: values };
}

/** Decodes `raw` for `knob`; a flag's text is converted, a file's value must already have the right type. */
export function decodeKnobValue(
  knob: KnobSpec,
  raw: unknown,
  from: ConfigSource,
): Result<KnobValue, ConfigError> {
  switch (knob.kind) {
    case 'integer':
    case 'number':
      return decodeNumber(knob, raw, from);
    case 'strings':
      return decodeStrings(knob, raw, from);
    case 'choice':
      if (typeof raw === 'string' && knob.choices?.includes(raw)) return { ok: true, value: raw };
      return invalidValue(knob, from, `one of ${knob.choices?.join(', ')}`, raw);
    case 'string':
      if (typeof raw !== 'string' || raw === '' || raw.length > 4000)
        return invalidValue(knob, from, 'a non-empty string', raw);
      if (knob.pattern && !knob.pattern.regex.test(raw))
        return invalidValue(knob, from, knob.pattern.expected, raw);
      return { ok: true, value: raw };
  }
}
