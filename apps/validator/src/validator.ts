// `createValidator(config)`: the whole validator in one process: SQLite state, HTTP API and the miner
// WebSocket gateway on one port (socket-level limits in http-server.ts and the gateway), scheduler timers
// rebuilt from the database on start. It owns the process resources (socket, database handle, timers) and
// releases them on `close()`; it parses no CLI flags.

import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GATEWAY_PATH } from '@tuning-arena/protocol';
import type { Hono } from 'hono';
import { composeValidator } from './compose.js';
import { portsFor } from './compose-ports.js';
import { resolveConfig, type ValidatorConfig } from './config.js';
import { withHeadroom } from './connection-headroom.js';
import { type Db, openDb } from './db/open-db.js';
import { attachGateway, type Gateway } from './gateway/ws-gateway.js';
import { createHttpServer } from './http-server.js';
import { createLimitLog, type LimitLog } from './limit-log.js';
import type { Limits } from './limits.js';
import { createMetricsServer } from './metrics/metrics-server.js';

/** Where a started validator listens. */
export interface ListeningAddress {
  /** Base HTTP URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** WebSocket URL of the miner gateway. */
  wsUrl: string;
  port: number;
  /** A one-time sign-in link of the web console (each start makes a new one). */
  consoleUrl: string;
  /** The separate metrics address (`GET /metrics` without a token), when configured. */
  metricsUrl?: string;
}

/** A validator instance. */
export interface Validator {
  /** Opens the database, restores timers and listens; resolves with the address. */
  start(): Promise<ListeningAddress>;
  /** Closes sockets, stops timers and closes the database; safe to call twice. */
  close(): Promise<void>;
  /** The HTTP app (after `start`), for `app.request()`-style calls. */
  readonly app: Hono | undefined;
  [Symbol.asyncDispose](): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Creates a validator; nothing happens until `start()`. */
export function createValidator(config: ValidatorConfig): Validator {
  const resolved = resolveConfig(config);
  const { logger } = resolved;
  let db: Db | undefined;
  let server: Server | undefined;
  let metricsServer: Server | undefined;
  let gateway: Gateway | undefined;
  let app: Hono | undefined;
  let stopScheduler: (() => Promise<void>) | undefined;
  let closing: Promise<void> | undefined;

  async function shutdown(): Promise<void> {
    await gateway?.close();
    await stopScheduler?.();
    for (const open of [server, metricsServer]) {
      if (!open) continue;
      open.closeAllConnections();
      await new Promise<void>((resolve) => open.close(() => resolve()));
    }
    await db?.destroy();
    if (server) logger.info('validator.closed', {});
  }

  return {
    get app() {
      return app;
    },
    start: async () => {
      if (db) throw new Error('validator already started');
      try {
        return await open();
      } catch (error) {
        await shutdown().catch(() => undefined);
        throw error;
      }
    },
    close: () => (closing ??= shutdown()),
    [Symbol.asyncDispose]() {
      return this.close();
    },
  };

  async function open(): Promise<ListeningAddress> {
    await mkdir(resolved.dataDir, { recursive: true });
    // Operators drop their own dataset files here; it exists from the first start so they can.
    await mkdir(resolved.datasetDir, { recursive: true });
    db = await openDb(resolved.dbPath);
    const composition = composeValidator(db, resolved, portsFor(config, resolved));
    app = composition.app;
    stopScheduler = async () => {
      composition.programs.stop();
      composition.scheduler.stop();
      await composition.pool.stop();
      await composition.programs.idle();
      await composition.queue.idle();
    };
    await composition.restore();
    const limits = withHeadroom(resolved.limits, logger);
    const limitLog = createLimitLog(logger, { now: resolved.now, onHit: resolved.metrics.limitHit });
    const http = createHttpServer({
      fetch: composition.app.fetch,
      limits,
      logger,
      now: resolved.now,
      limitLog,
    });
    server = http;
    gateway = attachGateway(http, { ...composition.connectionDeps, limits, limitLog });
    const address = await listen(http, resolved.port, resolved.host);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    logger.info('validator.listening', { url, port: address.port, dataDir: resolved.dataDir });
    const metricsUrl = await listenForMetrics(limits, limitLog);
    return {
      url,
      wsUrl: `ws://${host}:${address.port}${GATEWAY_PATH}`,
      port: address.port,
      consoleUrl: composition.consoleSignInUrl(url),
      ...(metricsUrl === undefined ? {} : { metricsUrl }),
    };
  }

  /** Opens the separate metrics address, if configured; gives its `/metrics` URL. */
  async function listenForMetrics(limits: Limits, limitLog: LimitLog): Promise<string | undefined> {
    const where = resolved.metricsListen;
    if (!where) return undefined;
    metricsServer = createMetricsServer({
      metrics: resolved.metrics,
      limits,
      logger,
      now: resolved.now,
      limitLog,
    });
    const address = await listen(metricsServer, where.port, where.host);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const metricsUrl = `http://${host}:${address.port}/metrics`;
    logger.info('metrics.listening', { url: metricsUrl });
    return metricsUrl;
  }
}
