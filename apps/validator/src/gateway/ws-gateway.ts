// The miner gateway's socket layer: accepts WebSocket upgrades on `/v1/ws` of the HTTP server, hands frames
// to a MinerConnection, sends heartbeats and terminates connections silent for three intervals. Protocol
// logic lives in miner-connection.ts; this module only moves bytes and watches liveness.

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { encodeValidatorMessage, GATEWAY_PATH, MAX_FRAME_BYTES } from '@tuning-arena/protocol';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import { type ConnectionDeps, createMinerConnection, type MinerConnection } from './miner-connection.js';

/** The running gateway. */
export interface Gateway {
  /** Number of open sockets (authenticated or not). */
  connections(): number;
  /** Closes every socket (1001) and stops the heartbeat sweep. */
  close(): Promise<void>;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Attaches the gateway to an HTTP server's `upgrade` event. */
export function attachGateway(server: Server, deps: ConnectionDeps & { logger: Logger }): Gateway {
  // Frames up to twice the protocol limit reach the decoder, so an oversized frame gets its error code;
  // anything larger is cut off by ws itself (close 1009).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * MAX_FRAME_BYTES });
  const live = new Map<WebSocket, MinerConnection>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== GATEWAY_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const remote = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
      const connection = createMinerConnection(
        {
          send: (text) => {
            if (ws.readyState === ws.OPEN) ws.send(text);
          },
          close: (code, reason) => ws.close(code, reason),
        },
        remote,
        deps,
      );
      live.set(ws, connection);
      ws.on('message', (data) => connection.receive(toBytes(data)));
      ws.on('error', (error) => deps.logger.warn('gateway.socket_error', { remote, error }));
      ws.on('close', () => {
        live.delete(ws);
        connection.closed().catch((error) => deps.logger.error('gateway.close_failed', { remote, error }));
      });
    });
  };
  server.on('upgrade', onUpgrade);

  const interval = deps.heartbeatIntervalMs;
  const sweep = setInterval(() => {
    const now = deps.now();
    for (const [ws, connection] of live) {
      if (now - connection.lastHeardAt() > 3 * interval) {
        deps.logger.info('gateway.silent_terminated', { silentMs: now - connection.lastHeardAt() });
        ws.terminate();
      } else if (connection.authenticated() && ws.readyState === ws.OPEN) {
        ws.send(encodeValidatorMessage({ type: 'heartbeat', at: new Date(now).toISOString() }));
      }
    }
  }, interval);
  sweep.unref();

  return {
    connections: () => live.size,
    close: async () => {
      clearInterval(sweep);
      server.off('upgrade', onUpgrade);
      const closing = [...live.entries()].map(([ws, connection]) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1001, 'validator shutting down');
          setTimeout(() => ws.terminate(), 1000).unref();
        }).then(() => connection.closed()),
      );
      await Promise.all(closing);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
