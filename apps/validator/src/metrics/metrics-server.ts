// The separate metrics address (`--metrics-port`, `--metrics-host`): an HTTP server with only
// `GET /metrics`, no token, for a Prometheus on a private interface. It has the socket limits of the main
// server (http-server.ts) and knows no other route; the validator opens and closes it.

import type { Server } from 'node:http';
import { Hono } from 'hono';
import { errorHandler } from '../api/http-helpers.js';
import { createHttpServer } from '../http-server.js';
import type { LimitLog } from '../limit-log.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import { metricsRoutes } from './metrics-routes.js';
import type { ValidatorMetrics } from './validator-metrics.js';

/** What the metrics server needs. */
interface MetricsServerDeps {
  metrics: ValidatorMetrics;
  limits: Limits;
  logger: Logger;
  now: () => number;
  limitLog: LimitLog;
}

/** Creates the metrics server (not listening yet). */
export function createMetricsServer(deps: MetricsServerDeps): Server {
  const app = new Hono();
  app.onError(errorHandler(deps.logger));
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: 'this address serves only GET /metrics' } }, 404),
  );
  app.route('/', metricsRoutes({ metrics: deps.metrics }));
  return createHttpServer({ ...deps, fetch: app.fetch });
}
