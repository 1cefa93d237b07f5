// The validator's Node HTTP server around the Hono app: its socket-level defences. Caps open connections in
// total and per remote address, bounds how long request headers may take, answers unparseable requests
// (bad targets, malformed HTTP) with 400 `bad_request` and a log line instead of an exception. It leaves the
// request-body timeout to the upload routes (`requestTimeout` is off so long artifact uploads survive).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { ErrorCode } from '@tuning-arena/protocol';
import { createLogThrottle } from './gateway/log-throttle.js';
import { addressKey } from './gateway/peer-address.js';
import { createLimitLog, type LimitLog } from './limit-log.js';
import type { Limits } from './limits.js';
import type { Logger } from './logger.js';

/** What the server needs. */
interface HttpServerDeps {
  fetch: (request: Request) => Response | Promise<Response>;
  limits: Limits;
  logger: Logger;
  now: () => number;
  limitLog?: LimitLog;
}

function jsonError(status: number, code: ErrorCode, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function rawError(status: number, code: ErrorCode, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[
    status
  ];
  return (
    `HTTP/1.1 ${status} ${reason ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** Creates the HTTP server (not listening yet). */
export function createHttpServer(deps: HttpServerDeps): Server {
  const { limits, logger, now } = deps;
  const log = createLogThrottle(logger, now);
  const limitLog = deps.limitLog ?? createLimitLog(logger, { now });
  const listener = getRequestListener(deps.fetch, {
    errorHandler: (error) => {
      if (error instanceof RequestError) {
        log.warn('http.bad_request', { message: error.message });
        return jsonError(400, 'bad_request', 'the request cannot be parsed');
      }
      logger.error('http.unhandled', { error });
      return jsonError(500, 'internal_error', 'internal error');
    },
  });
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      // Off: a long artifact upload is legitimate; stalled bodies are cut by the upload routes' own
      // idle and minimum-rate timeouts.
      requestTimeout: 0,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (request: IncomingMessage, response: ServerResponse) => {
      listener(request, response).catch((error: unknown) => {
        logger.error('http.unhandled', { error });
        response.destroy();
      });
    },
  );
  server.maxConnections = limits.maxHttpConnections;
  server.on('drop', (data?: { remoteAddress?: string }) => {
    limitLog.hit('max_http_connections', 'all', {
      remote: data?.remoteAddress,
      code: 'too_many_connections',
    });
  });

  const perAddress = new Map<string, number>();
  const firstBytes = new WeakMap<Socket, NodeJS.Timeout>();
  const started = (socket: Socket) => clearTimeout(firstBytes.get(socket));
  server.on('request', (request: IncomingMessage) => started(request.socket));
  server.on('upgrade', (request: IncomingMessage) => started(request.socket));
  server.on('connection', (socket: Socket) => {
    const address = addressKey(socket.remoteAddress);
    const open = perAddress.get(address) ?? 0;
    if (open >= limits.maxConnectionsPerAddress) {
      limitLog.hit('max_connections_per_address', address, { remote: address, code: 'too_many_connections' });
      socket.destroy();
      return;
    }
    perAddress.set(address, open + 1);
    // Node's headersTimeout only starts with the first byte: a socket that sends nothing is cut here.
    const silent = setTimeout(() => socket.destroy(), limits.headersTimeoutMs);
    silent.unref();
    firstBytes.set(socket, silent);
    socket.once('close', () => {
      clearTimeout(silent);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = error.code ?? 'unknown';
    if (code !== 'ECONNRESET') log.warn('http.client_error', { code });
    if (!socket.writable || code === 'ECONNRESET' || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const status = code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    socket.end(rawError(status, 'bad_request', 'the request cannot be parsed'));
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
  return server;
}
