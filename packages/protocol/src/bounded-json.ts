// A strict JSON parser for untrusted headers (artifact bundles, safetensors) with hard limits checked while
// parsing: input bytes (before anything is decoded), nesting depth, number of values, string and number
// length. It refuses duplicate keys, `__proto__` keys, non-finite numbers and invalid UTF-8, and says why
// and where (a closed reason and the key/index path), so callers map codes without reading messages. Pure.

import type { ErrorCode } from './error-codes.js';
import { type DecodeError, ok, type Result } from './result.js';

/** Bounds on one untrusted JSON document. */
export interface JsonLimits {
  /** Largest input in bytes (checked before decoding). */
  maxBytes: number;
  /** Deepest nesting of arrays and objects (a top-level object is depth 1). */
  maxDepth: number;
  /** Most values in the document (every scalar, array and object counts one). */
  maxValues: number;
  /** Longest string or key, in UTF-16 code units. */
  maxStringLength: number;
  /** Longest number literal, in characters (default 32). */
  maxNumberLength?: number;
}

/** Why a document was refused: one literal per kind of check. */
export type JsonRefusalReason =
  | 'too_large'
  | 'invalid_utf8'
  | 'syntax'
  | 'too_deep'
  | 'too_many_values'
  | 'too_long'
  | 'non_finite'
  | 'forbidden_key'
  | 'duplicate_key';

/** A refused document: a DecodeError plus the reason and the path (keys, array indices) where it was found. */
export interface BoundedJsonError extends DecodeError {
  readonly reason: JsonRefusalReason;
  /** Keys and array indices (as strings) from the root to the refused value or key; [] for the root. */
  readonly path: readonly string[];
}

class JsonRefusal {
  constructor(
    readonly at: number,
    readonly reason: JsonRefusalReason,
    readonly path: readonly string[],
    readonly message: string,
  ) {}
}

/** The JSON pointer (RFC 6901) of a path; "/" for the root, as the other issues of the protocol write it. */
function jsonPointer(path: readonly string[]): string {
  if (path.length === 0) return '/';
  return path.map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

const refused = (
  code: ErrorCode,
  reason: JsonRefusalReason,
  path: readonly string[],
  message: string,
  detail?: string,
): { ok: false; error: BoundedJsonError } => ({
  ok: false,
  error: {
    code,
    reason,
    path,
    message,
    issues: detail === undefined ? [] : [{ path: jsonPointer(path), message: detail }],
  },
});

/** Parses `bytes` as one JSON value within `limits`; never throws, never builds more than the limits allow. */
export function parseBoundedJson(bytes: Uint8Array, limits: JsonLimits): Result<unknown, BoundedJsonError> {
  if (bytes.byteLength > limits.maxBytes) {
    const detail = `${bytes.byteLength} bytes > ${limits.maxBytes}`;
    return refused('invalid_message', 'too_large', [], `JSON exceeds ${limits.maxBytes} bytes`, detail);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return refused('invalid_utf8', 'invalid_utf8', [], 'JSON is not valid UTF-8');
  }
  try {
    return ok(new BoundedParser(text, limits).document());
  } catch (error) {
    if (!(error instanceof JsonRefusal)) throw error;
    const message = `invalid JSON at character ${error.at}: ${error.message}`;
    return refused('invalid_message', error.reason, error.path, message, error.message);
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// Control characters (below U+0020) must be escaped inside strings, so they end a plain run too.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing raw control characters is the point
const PLAIN_STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class BoundedParser {
  private pos = 0;
  private values = 0;
  // Keys and indices from the root to the value being parsed, so a refusal can say where it is.
  private readonly path: string[] = [];
  private readonly maxNumberLength: number;

  constructor(
    private readonly text: string,
    private readonly limits: JsonLimits,
  ) {
    this.maxNumberLength = limits.maxNumberLength ?? 32;
  }

  document(): unknown {
    const value = this.value(0);
    this.skipSpace();
    if (this.pos !== this.text.length) this.refuse('syntax', 'trailing characters after the value');
    return value;
  }

  private refuse(reason: JsonRefusalReason, message: string): never {
    throw new JsonRefusal(this.pos, reason, [...this.path], message);
  }

  private skipSpace(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  private count(): void {
    if (++this.values > this.limits.maxValues)
      this.refuse('too_many_values', `more than ${this.limits.maxValues} values`);
  }

  private value(depth: number): unknown {
    this.skipSpace();
    this.count();
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      if (depth + 1 > this.limits.maxDepth)
        this.refuse('too_deep', `nested deeper than ${this.limits.maxDepth}`);
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    return this.number();
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.refuse('syntax', 'unexpected character');
    this.pos += word.length;
    return value;
  }

  private number(): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match || match[0].length === 0) this.refuse('syntax', 'unexpected character');
    if (match[0].length > this.maxNumberLength)
      this.refuse('too_long', `number longer than ${this.maxNumberLength}`);
    const value = Number(match[0]);
    if (!Number.isFinite(value)) this.refuse('non_finite', 'number out of range');
    this.pos += match[0].length;
    return value;
  }

  private string(): string {
    const { text } = this;
    this.pos++;
    let out = '';
    for (;;) {
      PLAIN_STRING_RUN.lastIndex = this.pos;
      const run = PLAIN_STRING_RUN.exec(text)?.[0] ?? '';
      out += run;
      this.pos += run.length;
      if (out.length > this.limits.maxStringLength) {
        this.refuse('too_long', `string longer than ${this.limits.maxStringLength}`);
      }
      const c = text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c !== '\\')
        this.refuse('syntax', c === undefined ? 'unterminated string' : 'control character in string');
      const escaped = text[this.pos + 1];
      if (escaped === 'u') {
        const hex = text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.refuse('syntax', 'bad \\u escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.pos += 6;
      } else {
        const decoded = escaped === undefined ? undefined : ESCAPES[escaped];
        if (decoded === undefined) this.refuse('syntax', 'bad escape');
        out += decoded;
        this.pos += 2;
      }
    }
  }

  private array(depth: number): unknown[] {
    this.pos++;
    const items: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.path.push(String(items.length));
      items.push(this.value(depth));
      this.path.pop();
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return items;
      if (c !== ',') this.refuse('syntax', 'expected , or ]');
    }
  }

  private object(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    const keys = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.refuse('syntax', 'expected a string key');
      const key = this.string();
      this.path.push(key);
      if (key === '__proto__') this.refuse('forbidden_key', 'key __proto__ is not allowed');
      if (keys.has(key)) this.refuse('duplicate_key', `duplicate key ${JSON.stringify(key.slice(0, 64))}`);
      keys.add(key);
      this.skipSpace();
      if (this.text[this.pos++] !== ':') this.refuse('syntax', 'expected :');
      out[key] = this.value(depth);
      this.path.pop();
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.refuse('syntax', 'expected , or }');
    }
  }
}
