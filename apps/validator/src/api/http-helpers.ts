// Small HTTP helpers shared by the route modules: bearer token parsing, JSON body decoding against a
// protocol schema (throwing `invalid_body` with issues), and the one error handler of the app.

import { decodeBody } from '@tuning-arena/protocol';
import type { Context, ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isValidatorError, ValidatorError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** A TypeBox schema as the protocol's `decodeBody` takes it. */
type Schema = Parameters<typeof decodeBody>[0];
/** The static type of a schema, as `decodeBody` decodes it. */
type Decoded<S extends Schema> = Extract<ReturnType<typeof decodeBody<S>>, { ok: true }>['value'];

/** Parses the JSON body and checks it against `schema`; throws `invalid_body` (400) with issues. */
export async function readBody<S extends Schema>(c: Context, schema: S): Promise<Decoded<S>> {
  let value: unknown;
  try {
    value = await c.req.json();
  } catch (cause) {
    throw new ValidatorError('invalid_body', 'request body is not valid JSON', {
      cause,
      issues: [{ path: '/', message: 'expected a JSON body' }],
    });
  }
  const decoded = decodeBody(schema, value);
  if (!decoded.ok)
    throw new ValidatorError('invalid_body', decoded.error.message, { issues: decoded.error.issues });
  return decoded.value;
}

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
      return c.json(body, error.status as ContentfulStatusCode);
    }
    logger.error('http.unhandled', { method: c.req.method, path: c.req.path, error });
    return c.json({ error: { code: 'internal_error', message: 'internal error' } }, 500);
  };
}
