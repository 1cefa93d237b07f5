// The console's access checks: the session cookie (httpOnly, SameSite=Strict, path /console), the
// same-origin check on every POST (Origin and Sec-Fetch-Site when the browser sends them) and the session's
// CSRF token in each form, read from a small bounded body only after the session checked out.

import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ValidatorError } from '../errors.js';
import { guardedChunks } from '../storage/body-guard.js';
import type { ConsoleSession, ConsoleSessions } from './sessions.js';

/** The cookie that carries the console session id. */
export const SESSION_COOKIE = 'arena_console';

/** Context variables the guard sets. */
export type ConsoleEnv = { Variables: { session: ConsoleSession; form: URLSearchParams } };

/** Bounds on a console form body. */
export interface FormLimits {
  maxFormBytes: number;
  idleTimeoutMs: number;
}

/** Sets the session cookie (Secure when the request came over https). */
export function setSessionCookie(c: Context, id: string, ttlMs: number): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/console',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: Math.floor(ttlMs / 1000),
  });
}

/** Clears the session cookie. */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/console' });
}

/** The cookie's session id, if any. */
export function sessionId(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** Whether a request says it comes from this origin (browsers send Origin and Sec-Fetch-Site on POSTs). */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin) return false;
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** Requires a live session: pages redirect to the sign-in page, streams and forms answer 401. */
export function requireSession(
  sessions: ConsoleSessions,
  mode: 'page' | 'api',
): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const session = sessions.find(sessionId(c));
    if (!session) {
      if (mode === 'page' && c.req.header('x-console-fragment') === undefined)
        return c.redirect('/console/sign-in', 303);
      throw new ValidatorError('unauthorized', 'console session missing or expired', { status: 401 });
    }
    c.set('session', session);
    await next();
  };
}

/** Reads a urlencoded form of at most `maxFormBytes`, cutting a silent or trickling body. */
export async function readForm(c: Context, limits: FormLimits): Promise<URLSearchParams> {
  const declared = Number(c.req.header('content-length') ?? 0);
  const tooLarge = () =>
    new ValidatorError('body_too_large', `form exceeds ${limits.maxFormBytes} bytes`, { status: 413 });
  if (declared > limits.maxFormBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of guardedChunks(c.req.raw.body, {
    idleTimeoutMs: limits.idleTimeoutMs,
    minBytesPerSecond: 0,
  })) {
    size += chunk.byteLength;
    if (size > limits.maxFormBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks, size).toString('utf8'));
}

/** On a POST with a session: same origin, then the form (bounded), then its `_csrf` field. */
export function requireCsrf(sessions: ConsoleSessions, limits: FormLimits): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (!sameOrigin(c))
      throw new ValidatorError('csrf_failed', 'cross-site request refused', { status: 403 });
    const form = await readForm(c, limits);
    if (!sessions.csrfMatches(c.get('session'), form.get('_csrf') ?? undefined))
      throw new ValidatorError('csrf_failed', 'CSRF token missing or wrong', { status: 403 });
    c.set('form', form);
    await next();
  };
}
