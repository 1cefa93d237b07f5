// Composes the Hono app: health, operator API and miner bulk-data routes, with one error handler and a
// JSON 404. It opens no sockets; `app.request()` drives it in unit tests.

import { Hono } from 'hono';
import type { Logger } from '../logger.js';
import { errorHandler } from './http-helpers.js';
import { type MinerRoutesDeps, minerRoutes } from './miner-routes.js';
import { type OperatorRoutesDeps, operatorRoutes } from './operator-routes.js';

/** What the app needs. */
export interface AppDeps {
  operator: OperatorRoutesDeps;
  miner: MinerRoutesDeps;
  logger: Logger;
}

/** Builds the validator's HTTP app. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError(errorHandler(deps.logger));
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.get('/v1/health', (c) => c.json({ ok: true }));
  app.route('/', operatorRoutes(deps.operator));
  app.route('/', minerRoutes(deps.miner) as unknown as Hono);
  return app;
}
