// Small HTTP helpers shared by the route modules: bearer token parsing, bounded JSON (or YAML) body reading
// and decoding against a protocol schema (413 `body_too_large`, 408 `upload_stalled`, 400 `invalid_body` with
// issues), and the one error handler of the app. Artifact uploads stream their own bodies, not through here.

import { decodeBody, fail, parseBoundedJson, parseBoundedYaml } from '@tuning-arena/protocol';
import type { Context, ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isValidatorError, ValidatorError } from '../errors.js';
import type { LimitLog } from '../limit-log.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import { guardedChunks } from '../storage/body-guard.js';

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** How JSON bodies are bounded: the limits and where a limit that bites is logged. */
export interface BodyRules {
  limits: Pick<Limits, 'maxBodyBytes' | 'uploadIdleTimeoutMs' | 'uploadMinBytesPerSecond'>;
  limitLog: LimitLog;
}

/** A TypeBox schema as the protocol's `decodeBody` takes it. */
type Schema = Parameters<typeof decodeBody>[0];
/** The static type of a schema, as `decodeBody` decodes it. */
type Decoded<S extends Schema> = Extract<ReturnType<typeof decodeBody<S>>, { ok: true }>['value'];

/** The remote address of a request served by @hono/node-server, for limit logs. */
function remoteOf(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** The 413 of a body past `maxBodyBytes`, logged (throttled) as `limit.maxBodyBytes`. */
export function bodyTooLarge(c: Context, rules: BodyRules, bytes: number): ValidatorError {
  const max = rules.limits.maxBodyBytes;
  rules.limitLog.hit('maxBodyBytes', remoteOf(c), { remote: remoteOf(c), path: c.req.path, bytes, max });
  return new ValidatorError('body_too_large', `request body exceeds ${max} bytes`, { status: 413 });
}

/** The declared Content-Length, or undefined when absent (a chunked body). */
export function declaredLength(c: Context): number | undefined {
  const header = c.req.header('content-length');
  return header === undefined ? undefined : Number(header);
}

/**
 * Reads the body while counting: a declared length over `maxBodyBytes` is refused before a byte is read,
 * a chunked body as soon as it passes the limit, and a silent or trickling one after the idle timeout.
 */
async function readBounded(c: Context, rules: BodyRules): Promise<Uint8Array> {
  const { maxBodyBytes, uploadIdleTimeoutMs, uploadMinBytesPerSecond } = rules.limits;
  const declared = declaredLength(c);
  if (declared !== undefined && declared > maxBodyBytes) throw bodyTooLarge(c, rules, declared);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of guardedChunks(c.req.raw.body, {
      idleTimeoutMs: uploadIdleTimeoutMs,
      minBytesPerSecond: uploadMinBytesPerSecond,
    })) {
      size += chunk.byteLength;
      if (size > maxBodyBytes) throw bodyTooLarge(c, rules, size);
      chunks.push(chunk);
    }
  } catch (error) {
    if (isValidatorError(error) && error.code === 'upload_stalled') {
      rules.limitLog.hit('uploadIdleTimeoutMs', remoteOf(c), { remote: remoteOf(c), path: c.req.path, size });
    }
    throw error;
  }
  return Buffer.concat(chunks, size);
}

/** Bounds on the JSON of an operator body beyond its byte size. */
const JSON_LIMITS = { maxDepth: 16, maxValues: 10_000 } as const;

/** Content types read as YAML (anything else is JSON). */
const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/** Whether a request says its body is YAML. */
function isYaml(c: Context): boolean {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  return YAML_TYPES.has(type);
}

/** Parses a YAML body under the same bounds as JSON; invalid UTF-8 is refused, not replaced. */
function parseYamlBody(bytes: Uint8Array, rules: BodyRules): ReturnType<typeof parseBoundedYaml> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('invalid_body', 'request body is not valid UTF-8');
  }
  return parseBoundedYaml(text, {
    ...JSON_LIMITS,
    maxBytes: rules.limits.maxBodyBytes,
    maxStringLength: rules.limits.maxBodyBytes,
  });
}

/**
 * Reads the body within `rules` (JSON, or YAML when its content type says so) and checks it against
 * `schema`; throws `invalid_body` (400) with issues.
 */
export async function readBody<S extends Schema>(
  c: Context,
  schema: S,
  rules: BodyRules,
): Promise<Decoded<S>> {
  const bytes = await readBounded(c, rules);
  const parsed = isYaml(c)
    ? parseYamlBody(bytes, rules)
    : parseBoundedJson(bytes, {
        ...JSON_LIMITS,
        maxBytes: rules.limits.maxBodyBytes,
        maxStringLength: rules.limits.maxBodyBytes,
      });
  if (!parsed.ok) {
    // Invalid UTF-8, duplicate keys, `__proto__` and deep nesting are refused rather than silently rewritten.
    throw new ValidatorError('invalid_body', `request body is not valid: ${parsed.error.message}`, {
      issues:
        parsed.error.issues.length > 0 ? parsed.error.issues : [{ path: '/', message: parsed.error.message }],
    });
  }
  const decoded = decodeBody(schema, parsed.value);
  if (!decoded.ok)
    throw new ValidatorError('invalid_body', decoded.error.message, { issues: decoded.error.issues });
  return decoded.value;
}

// After these the rest of the request body is unread: close the connection rather than drain it.
const CLOSE_AFTER = new Set(['body_too_large', 'upload_stalled']);

/** Maps ValidatorError to `{ error: { code, message } }` with its status; anything else is a logged 500. */
export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (isValidatorError(error)) {
      const body = {
        error: {
          code: error.code,
          message: error.message,
          ...(error.issues.length > 0 ? { issues: error.issues } : {}),
        },
      };
      if (CLOSE_AFTER.has(error.code)) c.header('connection', 'close');
      return c.json(body, error.status as ContentfulStatusCode);
    }
    logger.error('http.unhandled', { method: c.req.method, path: c.req.path, error });
    return c.json({ error: { code: 'internal_error', message: 'internal error' } }, 500);
  };
}
