// YAML for untrusted or operator-written documents (competition programs, config files), with the same kind
// of limits as bounded-json: input bytes, lexer tokens and flow nesting (checked in one linear pass before the
// document is composed), aliases (no billion laughs), nesting depth, number of values, string length. Keys must be strings and never `__proto__`; duplicate keys, tags outside YAML 1.2's core
// schema and non-finite numbers are refused. The result is plain JSON data. Pure; no I/O.

import { isAlias, isMap, isScalar, isSeq, Lexer, type Node, parseDocument } from 'yaml';
import { fail, ok, type Result } from './result.js';

/** Bounds on one YAML document. */
export interface YamlLimits {
  /** Largest input in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest nesting of sequences and mappings (a top-level mapping is depth 1). */
  maxDepth: number;
  /** Most values in the resolved document (aliases count each time they are used). */
  maxValues: number;
  /** Longest string or key, in UTF-16 code units. */
  maxStringLength: number;
}

class YamlRefusal extends Error {
  constructor(
    readonly path: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

const pointer = (path: readonly string[]) =>
  path.length === 0 ? '/' : path.map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

/** Lexer tokens allowed per value (a key, its indicator, spaces, the value, a line break, comments). */
const TOKENS_PER_VALUE = 16;
/** Flow nesting refused before composing; shallower excess is refused while reading, with its path. */
const FLOW_DEPTH_GUARD = 256;

/**
 * A linear pass over the lexer's tokens before anything is composed, stopping at the first excess: the
 * composer recurses on flow nesting (a megabyte of `[` overflows its stack after a second of work) and its
 * cost grows with the tokens, so both are bounded here, cheaply.
 */
function prescan(text: string, limits: YamlLimits): string | undefined {
  const maxTokens = limits.maxValues * TOKENS_PER_VALUE;
  const maxFlowDepth = Math.max(limits.maxDepth, FLOW_DEPTH_GUARD);
  let tokens = 0;
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (++tokens > maxTokens) return `more than ${maxTokens} tokens`;
    if (token === '[' || token === '{') {
      if (++depth > maxFlowDepth) return `nested deeper than ${maxFlowDepth}`;
    } else if (token === ']' || token === '}') {
      depth--;
    }
  }
  return undefined;
}

/** Parses YAML text into JSON data within `limits`; failures carry code `invalid_body` and the path. */
export function parseBoundedYaml(text: string, limits: YamlLimits): Result<unknown> {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return fail('invalid_body', `YAML is ${bytes} bytes, over ${limits.maxBytes}`);
  const excess = prescan(text, limits);
  if (excess) return fail('invalid_body', `YAML: ${excess}`, [{ path: '/', message: excess }]);
  // Duplicate keys are found below with a set: the library's own check compares every pair of keys.
  const doc = parseDocument(text, {
    schema: 'core',
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
  });
  const [first] = doc.errors;
  if (first) return fail('invalid_body', `YAML: ${first.message}`, [{ path: '/', message: first.message }]);
  let values = 0;
  let aliases = 0;
  const visit = (node: unknown, path: string[], depth: number): unknown => {
    if (++values > limits.maxValues) throw new YamlRefusal(path, `more than ${limits.maxValues} values`);
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      // Every use of an alias is resolved again, so a chain of them cannot blow up past maxValues.
      if (++aliases > limits.maxValues) throw new YamlRefusal(path, 'too many aliases');
      return visit(node.resolve(doc), path, depth);
    }
    if (isScalar(node)) return scalar(node.value, path);
    if (isMap(node) || isSeq(node)) {
      if (depth + 1 > limits.maxDepth) throw new YamlRefusal(path, `nested deeper than ${limits.maxDepth}`);
      if (isSeq(node)) return node.items.map((item, i) => visit(item, [...path, String(i)], depth + 1));
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (typeof key !== 'string') throw new YamlRefusal(path, 'every key must be a string');
        const at = [...path, key];
        if (key === '__proto__') throw new YamlRefusal(at, 'the key __proto__ is not allowed');
        if (seen.has(key)) throw new YamlRefusal(at, `the key ${key} appears twice`);
        seen.add(key);
        if (key.length > limits.maxStringLength) throw new YamlRefusal(at, 'key too long');
        out[key] = visit(pair.value as Node | null, at, depth + 1);
      }
      return out;
    }
    throw new YamlRefusal(path, 'unsupported YAML node');
  };
  const scalar = (value: unknown, path: string[]): unknown => {
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new YamlRefusal(path, 'numbers must be finite');
      return value;
    }
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) throw new YamlRefusal(path, 'string too long');
      return value;
    }
    throw new YamlRefusal(path, `unsupported scalar ${typeof value}`);
  };
  try {
    return ok(visit(doc.contents, [], 0));
  } catch (error) {
    if (!(error instanceof YamlRefusal)) throw error;
    return fail('invalid_body', `YAML: ${error.message}`, [
      { path: pointer(error.path), message: error.message },
    ]);
  }
}
