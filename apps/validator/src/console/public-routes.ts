// The console routes that answer without a session, each bounded: the static assets, the sign-in page and
// form (a one-time code or the operator token, exchanged for the session cookie; rate-limited, same-origin,
// a small body), sign-out, and the read-only public leaderboard of a competition whose operator turned it on
// (standings only; rate-limited and cached briefly so anonymous load cannot reach the database much).

import { Hono } from 'hono';
import type { ConsoleSettingsRepo } from '../db/console-settings-repo.js';
import { ValidatorError } from '../errors.js';
import { createTokenBucket } from '../gateway/token-bucket.js';
import { secretsEqual } from '../ids.js';
import type { Logger } from '../logger.js';
import type { CompetitionService } from '../services/competition-service.js';
import type { JudgeService } from '../services/judge-service.js';
import type { Asset } from './assets.js';
import {
  clearSessionCookie,
  type FormLimits,
  readForm,
  sameOrigin,
  sessionId,
  setSessionCookie,
} from './console-guard.js';
import { errorBody, signInBody } from './pages/admin-pages.js';
import { standings } from './pages/board-pages.js';
import { page } from './pages/layout.js';
import type { ConsoleSessions } from './sessions.js';

/** What the public routes need. */
export interface PublicRoutesDeps {
  sessions: ConsoleSessions;
  operatorToken: string;
  competitions: CompetitionService;
  judge: JudgeService;
  settings: ConsoleSettingsRepo;
  asset: (name: string) => Asset | undefined;
  logger: Logger;
  now: () => number;
  limits: {
    form: FormLimits;
    sessionTtlMs: number;
    signInPerMinute: number;
    publicPerSecond: number;
    publicCacheMs: number;
  };
}

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Builds the public console routes and the headers and error pages of every console route. */
export function publicRoutes(deps: PublicRoutesDeps): Hono {
  const app = new Hono();
  const signIns = createTokenBucket(deps.limits.signInPerMinute / 60, deps.limits.signInPerMinute, deps.now);
  const views = createTokenBucket(deps.limits.publicPerSecond, deps.limits.publicPerSecond * 2, deps.now);
  const boards = new Map<string, { html: string; until: number }>();

  for (const prefix of ['/console', '/console/*', '/public/*']) {
    app.use(prefix, async (c, next) => {
      await next();
      c.res.headers.set('content-security-policy', CSP);
      c.res.headers.set('x-content-type-options', 'nosniff');
      // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form POSTs.
      c.res.headers.set('referrer-policy', 'same-origin');
      const error = c.error;
      const wantsHtml = c.req.header('accept')?.includes('text/html') && !c.req.header('x-console-fragment');
      if (error instanceof ValidatorError && wantsHtml) {
        c.res = await c.html(
          page({ title: 'Refused' }, errorBody(error.code, error.message)),
          error.status as 400,
        );
      }
    });
  }

  app.get('/console/assets/:name', (c) => {
    const file = deps.asset(c.req.param('name'));
    if (!file) throw new ValidatorError('not_found', 'no such console asset', { status: 404 });
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': file.type,
      etag: file.etag,
      'cache-control': 'no-cache',
    });
  });

  app.get('/console/sign-in', (c) => {
    c.header('cache-control', 'no-store');
    const code = c.req.query('code');
    const body = signInBody(
      code && code.length <= 100 ? code : undefined,
      c.req.query('refused') !== undefined,
    );
    return c.html(page({ title: 'Sign in', script: true }, body));
  });

  app.post('/console/sign-in', async (c) => {
    if (!sameOrigin(c))
      throw new ValidatorError('csrf_failed', 'cross-site sign-in refused', { status: 403 });
    if (signIns.level() < 1) {
      deps.logger.warn('limit.console_sign_in', { perMinute: deps.limits.signInPerMinute });
      throw new ValidatorError('rate_limited', 'too many sign-in attempts; wait a minute', { status: 429 });
    }
    signIns.spend();
    const form = await readForm(c, deps.limits.form);
    const code = form.get('code');
    const token = form.get('token');
    const ok = code
      ? deps.sessions.redeemCode(code)
      : token
        ? secretsEqual(token, deps.operatorToken)
        : false;
    if (!ok) {
      deps.logger.warn('console.sign_in_refused', { with: code ? 'code' : 'token' });
      return c.redirect('/console/sign-in?refused=1', 303);
    }
    const { id } = deps.sessions.start();
    setSessionCookie(c, id, deps.limits.sessionTtlMs);
    deps.logger.info('console.signed_in', { with: code ? 'code' : 'token' });
    return c.redirect('/console', 303);
  });

  app.post('/console/sign-out', (c) => {
    deps.sessions.end(sessionId(c));
    clearSessionCookie(c);
    return c.redirect('/console/sign-in', 303);
  });

  app.get('/public/c/:id', async (c) => {
    const id = c.req.param('id');
    if (id.length > 64) throw new ValidatorError('not_found', 'no public leaderboard here', { status: 404 });
    const cached = boards.get(id);
    if (cached && deps.now() < cached.until) return c.html(cached.html);
    if (views.level() < 1)
      throw new ValidatorError('rate_limited', 'too many requests; try again soon', { status: 429 });
    views.spend();
    const competition = await deps.competitions.get(id).catch(() => undefined);
    if (!competition || !(await deps.settings.publicLeaderboard(id)))
      throw new ValidatorError('not_found', 'no public leaderboard here', { status: 404 });
    const board = await deps.judge.leaderboard(id);
    const text = await page({ title: `${competition.name}: leaderboard` }, standings(board, false));
    boards.set(id, { html: String(text), until: deps.now() + deps.limits.publicCacheMs });
    if (boards.size > 1000) boards.delete(boards.keys().next().value as string);
    return c.html(String(text));
  });
  return app;
}
