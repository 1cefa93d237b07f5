// The miner's WebSocket link to the validator: connects, runs a session per socket, sends heartbeats,
// drops a silent socket after three heartbeat intervals, and reconnects with backoff until stopped.
// It knows nothing about jobs; frames after `welcome` go to the caller's `onFrame`.

import {
  CLOSE_POLICY_VIOLATION,
  type ErrorFrame,
  encodeMinerMessage,
  GATEWAY_PATH,
  MAX_FRAME_BYTES,
  type MinerMessage,
  type Welcome,
} from '@tuning-arena/protocol';
import { WebSocket } from 'ws';
import { type Backoff, createBackoff } from './backoff.js';
import { MinerError } from './errors.js';
import type { MinerIdentity } from './keys.js';
import type { Logger } from './logger.js';
import { createSession, type JobFrame, type RefusedFrame, type Session } from './session.js';

/** Refusals after which reconnecting cannot help. */
const FATAL_CODES = new Set(['protocol_version_mismatch', 'session_replaced']);

/** Options and callbacks of the gateway client. */
interface GatewayClientOptions {
  /** The validator's base URL (http or https). */
  validatorUrl: string;
  identity: MinerIdentity;
  capacity: number;
  software: string;
  backoff?: Backoff;
  log: Logger;
  onWelcome(welcome: Welcome): void;
  onFrame(frame: JobFrame): void;
  onDisconnect(): void;
  onRefusedFrame(refused: RefusedFrame): void;
  /** The validator refused us for good (version mismatch, key used elsewhere); the client has stopped. */
  onFatal(error: MinerError): void;
}

/** Link state, for status reports. */
export type LinkState = 'idle' | 'connecting' | 'authenticating' | 'ready' | 'waiting' | 'stopped';

/** The WebSocket URL of a validator's gateway. */
function gatewayUrl(validatorUrl: string): string {
  const url = new URL(GATEWAY_PATH, validatorUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Creates the gateway client; `start()` connects and keeps reconnecting until `stop()`. */
export function createGatewayClient(options: GatewayClientOptions) {
  const backoff = options.backoff ?? createBackoff();
  let state: LinkState = 'idle';
  let socket: WebSocket | undefined;
  let session: Session | undefined;
  let welcome: Welcome | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let lastReceivedAt = 0;
  let connects = 0;
  let readyWaiters: Array<() => void> = [];

  const clearTimers = () => {
    clearInterval(heartbeatTimer);
    clearTimeout(reconnectTimer);
    heartbeatTimer = undefined;
    reconnectTimer = undefined;
  };

  const sendRaw = (ws: WebSocket, message: MinerMessage) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(encodeMinerMessage(message));
  };

  const fatal = (error: MinerError) => {
    options.log.error('gateway.refused_for_good', { code: error.code, message: error.message });
    stop();
    options.onFatal(error);
  };

  const onAuthError = (frame: ErrorFrame) => {
    const error = new MinerError(frame.code, `validator refused the connection: ${frame.code}`, frame);
    if (FATAL_CODES.has(frame.code)) return fatal(error);
    options.log.warn('gateway.auth_refused', { code: frame.code });
  };

  const startHeartbeats = (intervalMs: number, ws: WebSocket) => {
    clearInterval(heartbeatTimer);
    heartbeatTimer = setInterval(() => {
      if (Date.now() - lastReceivedAt > 3 * intervalMs) {
        options.log.warn('gateway.validator_silent', {});
        ws.terminate();
        return;
      }
      sendRaw(ws, { type: 'heartbeat', at: new Date().toISOString() });
    }, intervalMs);
    heartbeatTimer.unref();
  };

  const scheduleReconnect = () => {
    if (state === 'stopped') return;
    state = 'waiting';
    const delay = backoff.next();
    options.log.info('gateway.reconnecting', { delayMs: delay, attempt: backoff.attempt });
    reconnectTimer = setTimeout(connect, delay);
  };

  function connect() {
    if (state === 'stopped') return;
    state = 'connecting';
    const ws = new WebSocket(gatewayUrl(options.validatorUrl), { maxPayload: MAX_FRAME_BYTES });
    socket = ws;
    const current = createSession(
      { identity: options.identity, capacity: options.capacity, software: options.software },
      {
        send: (message) => sendRaw(ws, message),
        onWelcome: (w) => {
          welcome = w;
          state = 'ready';
          connects += 1;
          backoff.reset();
          startHeartbeats(w.heartbeatIntervalMs, ws);
          options.onWelcome(w);
          const waiters = readyWaiters;
          readyWaiters = [];
          for (const wake of waiters) wake();
        },
        onFrame: (frame) => {
          if (frame.type === 'error' && FATAL_CODES.has(frame.code)) {
            return fatal(new MinerError(frame.code, `validator closed this session: ${frame.code}`, frame));
          }
          options.onFrame(frame);
        },
        onAuthError,
      },
    );
    session = current;
    ws.on('open', () => {
      state = 'authenticating';
      lastReceivedAt = Date.now();
      current.start();
    });
    ws.on('message', (data, isBinary) => {
      if (socket !== ws) return;
      lastReceivedAt = Date.now();
      const raw = isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString('utf8');
      const outcome = current.receive(raw);
      if (!outcome.ok) {
        options.log.warn('gateway.invalid_frame', { code: outcome.error.code });
        options.onRefusedFrame(outcome.error);
      }
    });
    ws.on('error', (error) => {
      options.log.debug('gateway.socket_error', { error });
    });
    ws.on('close', (code) => {
      if (socket !== ws) return;
      const wasReady = state === 'ready';
      socket = undefined;
      session = undefined;
      welcome = undefined;
      clearInterval(heartbeatTimer);
      if (code === CLOSE_POLICY_VIOLATION) options.log.warn('gateway.closed_by_validator', { code: 1008 });
      if (wasReady) options.onDisconnect();
      scheduleReconnect();
    });
  }

  function stop() {
    state = 'stopped';
    clearTimers();
    const ws = socket;
    socket = undefined;
    session = undefined;
    welcome = undefined;
    ws?.close(1000, 'miner stopping');
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const wake of waiters) wake();
  }

  return {
    /** Connects and keeps the link up until `stop()`. */
    start(): void {
      if (state !== 'idle') return;
      connect();
    },
    /** Closes the link and stops reconnecting. */
    stop,
    /** Sends a frame if the session is authenticated; returns whether it went out. */
    send(message: MinerMessage): boolean {
      if (state !== 'ready' || !socket || session?.phase !== 'ready') return false;
      sendRaw(socket, message);
      return true;
    },
    /** Resolves once the session is authenticated (or the client stopped), or rejects when `signal` aborts. */
    waitReady(signal?: AbortSignal): Promise<void> {
      if (state === 'ready' || state === 'stopped') return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onAbort = () =>
          reject(new MinerError('aborted', 'gave up waiting for the validator', signal?.reason));
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        readyWaiters.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    },
    /** The current session's welcome (token, miner id), while authenticated. */
    get welcome(): Welcome | undefined {
      return welcome;
    },
    /** The link state. */
    get state(): LinkState {
      return state;
    },
    /** How many times a session was authenticated. */
    get connects(): number {
      return connects;
    },
  };
}

/** A gateway client as returned by `createGatewayClient`. */
export type GatewayClient = ReturnType<typeof createGatewayClient>;
