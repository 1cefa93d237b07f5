// Frame codecs: one compiled TypeBox checker per message type, used by both sides to validate what they
// receive and to check what they send. Decoding returns a Result and never throws. Frames given as bytes
// are the payload of a text frame and must be valid UTF-8; whether a frame was binary is the transport's
// business (the gateway refuses binary frames before they get here).

import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { MAX_FRAME_BYTES } from './constants.js';
import { MinerMessage } from './miner-messages.js';
import { fail, type Issue, ok, type Result } from './result.js';
import { ValidatorMessage } from './validator-messages.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

// A Map, not an object: a `type` such as `__proto__` or `constructor` can never find a checker.
type Checkers = Map<string, TypeCheck<TSchema>>;

function compileAll(schemas: TSchema[]): Checkers {
  const out: Checkers = new Map();
  for (const schema of schemas) {
    const literal = (schema.properties as { type: TSchema }).type.const as string;
    out.set(literal, TypeCompiler.Compile(schema));
  }
  return out;
}

// One checker per message type, derived from the unions so a new message needs no second list here.
const minerCheckers = compileAll(MinerMessage.anyOf);
const validatorCheckers = compileAll(ValidatorMessage.anyOf);

/** Schema issues of a value against a compiled checker, capped so error frames stay small. */
export function collectIssues<T extends TSchema>(checker: TypeCheck<T>, value: unknown, limit = 10): Issue[] {
  const issues: Issue[] = [];
  for (const error of checker.Errors(value)) {
    issues.push({ path: error.path || '/', message: error.message });
    if (issues.length >= limit) break;
  }
  return issues;
}

function byteLength(raw: string | Uint8Array): number {
  return typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
}

// `fatal` makes malformed UTF-8 an error instead of silently becoming U+FFFD.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeWith<T>(checkers: Checkers, raw: string | Uint8Array): Result<T> {
  if (byteLength(raw) > MAX_FRAME_BYTES) {
    return fail('frame_too_large', `frame exceeds ${MAX_FRAME_BYTES} bytes`);
  }
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : strictUtf8.decode(raw);
  } catch {
    return fail('invalid_utf8', 'frame is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return fail('malformed_json', `frame is not valid JSON: ${(cause as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid_message', 'frame must be a JSON object', [
      { path: '/', message: 'expected object' },
    ]);
  }
  const type = (value as { type?: unknown }).type;
  const checker = typeof type === 'string' ? checkers.get(type) : undefined;
  if (checker === undefined) {
    return fail('unknown_type', `unknown message type ${String(JSON.stringify(type)).slice(0, 80)}`, [
      { path: '/type', message: 'unknown message type' },
    ]);
  }
  if (!checker.Check(value)) {
    return fail('invalid_message', `invalid ${String(type)} frame`, collectIssues(checker, value));
  }
  return ok(value as T);
}

/** Decodes a frame received from a miner. */
export function decodeMinerMessage(raw: string | Uint8Array): Result<MinerMessage> {
  return decodeWith<MinerMessage>(minerCheckers, raw);
}

/** Decodes a frame received from the validator. */
export function decodeValidatorMessage(raw: string | Uint8Array): Result<ValidatorMessage> {
  return decodeWith<ValidatorMessage>(validatorCheckers, raw);
}

function encodeWith(checkers: Checkers, message: { type: string }): string {
  const checker = checkers.get(message.type);
  if (!checker?.Check(message)) {
    const issues = checker ? collectIssues(checker, message) : [];
    throw new TypeError(`refusing to send an invalid ${message.type} frame: ${JSON.stringify(issues)}`);
  }
  return JSON.stringify(message);
}

/** Serialises a miner frame, refusing (by throwing, a programming error) one that breaks its schema. */
export function encodeMinerMessage(message: MinerMessage): string {
  return encodeWith(minerCheckers, message);
}

/** Serialises a validator frame, refusing (by throwing, a programming error) one that breaks its schema. */
export function encodeValidatorMessage(message: ValidatorMessage): string {
  return encodeWith(validatorCheckers, message);
}
