// `GET /metrics` in the Prometheus text format. On the validator's port it sits behind the operator's bearer
// token; on the separate metrics address (metrics-server.ts) it answers without one. It counts nothing.

import { Hono, type MiddlewareHandler } from 'hono';
import type { ValidatorMetrics } from './validator-metrics.js';

/** What the metrics route needs; `auth` guards it (absent on the separate metrics address). */
interface MetricsRoutesDeps {
  metrics: Pick<ValidatorMetrics, 'text' | 'contentType'>;
  auth?: MiddlewareHandler;
}

/** The path of the metrics route. */
export const METRICS_PATH = '/metrics';

/** Builds the metrics route. */
export function metricsRoutes(deps: MetricsRoutesDeps): Hono {
  const app = new Hono();
  const answer = async () =>
    new Response(await deps.metrics.text(), {
      headers: { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' },
    });
  if (deps.auth) app.get(METRICS_PATH, deps.auth, answer);
  else app.get(METRICS_PATH, answer);
  return app;
}
