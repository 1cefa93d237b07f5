// The operator's web console in one piece for compose.ts: the event hub and progress history it feeds from
// (`feed`, made before the services so their logger and repositories can be tapped), then the routes over
// the services (`routes`), and one-time sign-in links. Limits are fixed here, each bounding what one
// client can hold: streams, queued events, sessions, codes, form bytes, anonymous requests.

import type { Hono } from 'hono';
import type { Logger } from '../logger.js';
import { createAssets } from './assets.js';
import { type ConsolePageServices, consoleRoutes } from './console-routes.js';
import { type CompetitionLookup, createEventHub, type EventHub } from './event-hub.js';
import { createProgressHistory, type ProgressHistory } from './progress-history.js';
import { publicRoutes } from './public-routes.js';
import { type ConsoleSessions, createConsoleSessions } from './sessions.js';

/** The console's fixed limits. */
export const CONSOLE_LIMITS = {
  maxStreams: 32,
  stream: { maxQueued: 256, heartbeatMs: 15_000, retryMs: 2_000 },
  sessions: { sessionTtlMs: 12 * 3600_000, codeTtlMs: 24 * 3600_000, maxSessions: 64, maxCodes: 16 },
  form: { maxFormBytes: 16_384, idleTimeoutMs: 10_000 },
  progress: { maxPoints: 500, maxOffers: 5_000 },
  signInPerMinute: 20,
  publicPerSecond: 20,
  publicCacheMs: 2_000,
} as const;

/** What the console's routes read and change. */
export interface ConsoleServices extends ConsolePageServices {
  operatorToken: string;
}

/** The console: its feed, its routes and its sign-in links. */
export interface Console {
  hub: EventHub;
  history: ProgressHistory;
  sessions: ConsoleSessions;
  /** The console's routes over the services (mount on the app). */
  routes(services: ConsoleServices): Hono;
  /** A one-time sign-in link under `baseUrl`. */
  signInUrl(baseUrl: string): string;
}

/** Creates the console's feed; routes come once the services exist. */
export function createConsole(deps: {
  lookup: CompetitionLookup;
  logger: Logger;
  now: () => number;
}): Console {
  const { logger, now } = deps;
  const hub = createEventHub({ lookup: deps.lookup, logger, now, maxSubscribers: CONSOLE_LIMITS.maxStreams });
  const history = createProgressHistory(CONSOLE_LIMITS.progress);
  const sessions = createConsoleSessions(CONSOLE_LIMITS.sessions, now);
  return {
    hub,
    history,
    sessions,
    routes: (services) => {
      const app = publicRoutes({
        ...services,
        sessions,
        asset: createAssets(logger),
        logger,
        now,
        limits: { ...CONSOLE_LIMITS, sessionTtlMs: CONSOLE_LIMITS.sessions.sessionTtlMs },
      });
      app.route(
        '/',
        consoleRoutes({
          ...services,
          sessions,
          hub,
          history,
          logger,
          now,
          limits: CONSOLE_LIMITS,
        }) as unknown as Hono,
      );
      return app;
    },
    signInUrl: (baseUrl) => `${baseUrl}/console/sign-in?code=${sessions.issueCode()}`,
  };
}
