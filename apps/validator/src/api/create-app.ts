// Composes the Hono app: health, the API's description (OpenAPI and its page), metrics, operator API and miner
// bulk-data routes (every /v1 route is in route-docs.ts), with one error handler, a JSON 404
// and one bound on request bodies for every route but the artifact upload (which streams under its own
// limits). It opens no sockets; `app.request()` drives it in unit tests.

import { Hono, type MiddlewareHandler } from 'hono';
import { createLimitLog } from '../limit-log.js';
import type { Logger } from '../logger.js';
import { metricsRoutes } from '../metrics/metrics-routes.js';
import type { ValidatorMetrics } from '../metrics/validator-metrics.js';
import { docsRoutes } from './docs-routes.js';
import { type BodyRules, bodyTooLarge, declaredLength, errorHandler } from './http-helpers.js';
import { type MinerRoutesDeps, minerRoutes } from './miner-routes.js';
import { type OperatorRoutesDeps, operatorAuth, operatorRoutes } from './operator-routes.js';

/** What the app needs. */
interface AppDeps {
  operator: Omit<OperatorRoutesDeps, 'body'>;
  miner: MinerRoutesDeps;
  logger: Logger;
  /** Body limits (`maxBodyBytes`, `uploadIdleTimeoutMs`, `uploadMinBytesPerSecond`). */
  limits: BodyRules['limits'];
  /** Served at `GET /metrics` behind the operator token; its limit counter sees the body limits. */
  metrics: ValidatorMetrics;
  /** The web console's routes (/console, /public), mounted when given. */
  console?: Hono;
}

const isUpload = (method: string, path: string) => method === 'PUT' && path.startsWith('/v1/artifacts/');

/**
 * Refuses a declared body over `maxBodyBytes` on any route before anything reads it, and closes the
 * connection after a GET or HEAD that came with a body (no route reads one, so it is never buffered).
 */
function bodyBounds(rules: BodyRules): MiddlewareHandler {
  return async (c, next) => {
    if (isUpload(c.req.method, c.req.path)) return next();
    const declared = declaredLength(c);
    if (declared !== undefined && declared > rules.limits.maxBodyBytes)
      throw bodyTooLarge(c, rules, declared);
    await next();
    const hasBody = (declared ?? 0) > 0 || c.req.header('transfer-encoding') !== undefined;
    if (hasBody && (c.req.method === 'GET' || c.req.method === 'HEAD'))
      c.res.headers.set('connection', 'close');
  };
}

/** Builds the validator's HTTP app. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const body: BodyRules = {
    limits: deps.limits,
    limitLog: createLimitLog(deps.logger, { onHit: deps.metrics.limitHit }),
  };
  app.onError(errorHandler(deps.logger));
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.use('*', bodyBounds(body));
  app.get('/v1/health', (c) => c.json({ ok: true }));
  app.route('/', docsRoutes());
  app.route('/', metricsRoutes({ metrics: deps.metrics, auth: operatorAuth(deps.operator.operatorToken) }));
  if (deps.console) app.route('/', deps.console);
  app.route('/', operatorRoutes({ ...deps.operator, body }));
  app.route('/', minerRoutes(deps.miner) as unknown as Hono);
  return app;
}
