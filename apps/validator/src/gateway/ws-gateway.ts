// The miner gateway's socket layer: accepts WebSocket upgrades on `/v1/ws` of the HTTP server within the
// unauthenticated-socket caps, hands frames to a MinerConnection, enforces the handshake deadline and the
// outbound buffer bound, sends heartbeats and terminates connections silent for three intervals. No
// request target, socket error or frame may throw out of here. Protocol logic lives in miner-connection.ts.

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { encodeValidatorMessage, GATEWAY_PATH, MAX_FRAME_BYTES } from '@tuning-arena/protocol';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { createLimitLog, type LimitLog } from '../limit-log.js';
import type { Limits } from '../limits.js';
import { createAdmission, type HandshakeSlot } from './admission.js';
import { createAuthThrottle } from './auth-throttle.js';
import { createLogThrottle } from './log-throttle.js';
import {
  type ConnectionDeps,
  type ConnectionGuards,
  createMinerConnection,
  type MinerConnection,
} from './miner-connection.js';
import { addressKey } from './peer-address.js';
import { createKeyedBuckets } from './token-bucket.js';
import { rejectUpgrade, requestPath } from './upgrade-response.js';

/** The running gateway. */
export interface Gateway {
  /** Number of open sockets (authenticated or not). */
  connections(): number;
  /** Sockets that have not authenticated yet. */
  unauthenticated(): number;
  /** Closes every socket (1001) and stops the heartbeat sweep. */
  close(): Promise<void>;
}

/** What the gateway needs: the connection's dependencies plus the defensive limits. */
type GatewayDeps = ConnectionDeps & { limits: Limits; limitLog?: LimitLog };

/** How long a closing socket may wait for the peer's close frame before it is destroyed. */
const CLOSE_GRACE_MS = 1000;
/** Fragments one message may arrive in. */
const MAX_FRAGMENTS = 64;
/** (miner, job) pairs whose progress rate is tracked at once. */
const MAX_PROGRESS_KEYS = 65_536;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Attaches the gateway to an HTTP server's `upgrade` event. */
export function attachGateway(server: Server, deps: GatewayDeps): Gateway {
  const { logger, limits, now } = deps;
  const limitLog = deps.limitLog ?? createLimitLog(logger, { now });
  const log = createLogThrottle(logger, now);
  // Frames up to twice the protocol limit reach the decoder, so an oversized frame gets its error code;
  // anything larger is cut off by ws itself (close 1009). UTF-8 is checked by the decoder (invalid_utf8).
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 2 * MAX_FRAME_BYTES,
    skipUTF8Validation: true,
    perMessageDeflate: false,
    clientTracking: false,
    // Miners send each frame whole; a message split into many fragments is an attack on memory.
    maxFragments: MAX_FRAGMENTS,
  });
  wss.on('error', (error) => log.warn('gateway.server_error', { error }));
  const live = new Map<WebSocket, MinerConnection>();
  const admission = createAdmission(limits.maxUnauthenticated, limits.maxUnauthenticatedPerAddress);
  const throttle = createAuthThrottle(limits.authFailuresPerMinute, now, limits.authsPerMinute);
  const progressBurst = Math.max(1, 2 * limits.progressPerSecond);
  const progress = createKeyedBuckets(limits.progressPerSecond, progressBurst, MAX_PROGRESS_KEYS, now);

  /** Sends unless the peer stopped reading: past `maxOutboundBytes` queued, the socket is dropped. */
  const guardedSend = (ws: WebSocket, text: string, remote: string, minerId?: string) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount + text.length > limits.maxOutboundBytes) {
      limitLog.hit('max_outbound_bytes', minerId ?? remote, {
        remote,
        minerId,
        bufferedAmount: ws.bufferedAmount,
        code: 'slow_consumer',
      });
      ws.terminate();
      return;
    }
    ws.send(text);
  };

  const accept = (ws: WebSocket, request: IncomingMessage, address: string, slot: HandshakeSlot) => {
    const remote = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
    let killTimer: NodeJS.Timeout | undefined;
    const guards: ConnectionGuards = {
      limits,
      throttle,
      progress,
      limitLog,
      log,
      authenticated: () => {
        clearTimeout(handshakeTimer);
        slot.release();
      },
    };
    const connection = createMinerConnection(
      {
        send: (text) => guardedSend(ws, text, remote, connection.minerId()),
        close: (code, reason) => {
          if (ws.readyState === ws.OPEN) ws.close(code, reason);
          // A peer that never answers the close frame does not keep its socket.
          killTimer ??= setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
          killTimer.unref();
        },
      },
      { remote, address },
      deps,
      guards,
    );
    const handshakeTimer = setTimeout(() => connection.handshakeExpired(), limits.handshakeTimeoutMs);
    handshakeTimer.unref();
    live.set(ws, connection);
    ws.on('message', (data, isBinary) => {
      try {
        connection.receive(toBytes(data), isBinary);
      } catch (error) {
        logger.error('gateway.receive_failed', { remote, error });
        ws.terminate();
      }
    });
    // ws answers pings itself; they count against the frame rate and the pongs against the buffer bound.
    const control = () => {
      connection.receiveControl();
      if (ws.bufferedAmount > limits.maxOutboundBytes) guardedSend(ws, '', remote, connection.minerId());
    };
    ws.on('ping', control);
    ws.on('pong', control);
    ws.on('error', (error) => log.warn('gateway.socket_error', { remote, error }));
    ws.on('close', () => {
      clearTimeout(handshakeTimer);
      clearTimeout(killTimer);
      slot.release();
      live.delete(ws);
      connection.closed().catch((error) => logger.error('gateway.close_failed', { remote, error }));
    });
  };

  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node removes its own error listener from an upgraded socket: an error here must not be uncaught.
    socket.on('error', (error) => log.warn('gateway.upgrade_socket_error', { error }));
    const address = addressKey(request.socket.remoteAddress);
    const path = requestPath(request.url);
    if (path === undefined) {
      log.warn('gateway.bad_request', { remote: address, target: String(request.url).slice(0, 200) });
      return rejectUpgrade(socket, 400, 'bad_request', 'the request target cannot be parsed');
    }
    if (path !== GATEWAY_PATH) return rejectUpgrade(socket, 404, 'not_found', `no WebSocket at ${path}`);
    if (throttle.blocked(address)) {
      limitLog.hit('auth_failures_per_minute', address, {
        remote: address,
        by: 'address',
        code: 'rate_limited',
      });
      return rejectUpgrade(socket, 429, 'rate_limited', 'too many failed handshakes; retry later');
    }
    const admitted = admission.admit(address);
    if (!admitted.ok) {
      const name =
        admitted.limit === 'maxUnauthenticated' ? 'max_unauthenticated' : 'max_unauthenticated_per_address';
      limitLog.hit(name, admitted.limit === 'maxUnauthenticated' ? 'all' : address, {
        remote: address,
        unauthenticated: admission.count(),
        code: 'too_many_connections',
      });
      return rejectUpgrade(
        socket,
        503,
        'too_many_connections',
        'too many connections in the handshake; retry later',
      );
    }
    // Released on authentication or when the socket closes, whichever comes first (also when ws refuses
    // the handshake itself, e.g. a missing Sec-WebSocket-Key, and never calls back).
    socket.once('close', () => admitted.slot.release());
    wss.handleUpgrade(request, socket, head, (ws) => {
      try {
        accept(ws, request, address, admitted.slot);
      } catch (error) {
        logger.error('gateway.accept_failed', { remote: address, error });
        ws.terminate();
      }
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      upgrade(request, socket, head);
    } catch (error) {
      logger.error('gateway.upgrade_failed', { error });
      socket.destroy();
    }
  };
  server.on('upgrade', onUpgrade);

  const interval = deps.heartbeatIntervalMs;
  const sweep = setInterval(() => {
    const at = now();
    for (const [ws, connection] of live) {
      if (at - connection.lastHeardAt() > 3 * interval) {
        log.warn('gateway.silent_terminated', { silentMs: at - connection.lastHeardAt() });
        ws.terminate();
      } else if (connection.authenticated()) {
        const heartbeat = encodeValidatorMessage({ type: 'heartbeat', at: new Date(at).toISOString() });
        guardedSend(ws, heartbeat, 'heartbeat', connection.minerId());
      }
    }
  }, interval);
  sweep.unref();

  return {
    connections: () => live.size,
    unauthenticated: () => admission.count(),
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
