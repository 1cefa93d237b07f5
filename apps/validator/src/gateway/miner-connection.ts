// One miner WebSocket connection as a state machine: hello -> challenge -> auth -> welcome, then job frames
// routed to the scheduler and the submission service. Bad frames and failed authentication get an error
// frame and close 1008; refusals of job frames get an error frame and keep the connection. Frames of one
// connection are handled strictly in order, after a per-connection rate limit; nothing is written to the
// database for a key before its signature verified. It knows nothing of sockets beyond the `Wire` interface.

import {
  CLOSE_POLICY_VIOLATION,
  challengePayload,
  createNonce,
  type DecodeError,
  decodeMinerMessage,
  type ErrorCode,
  encodeValidatorMessage,
  fail,
  type Hello,
  type MinerMessage,
  PROTOCOL_VERSION,
  type Result,
  type ValidatorMessage,
  verifyPayload,
} from '@tuning-arena/protocol';
import type { AuthRepo } from '../db/auth-repo.js';
import type { CompetitionsRepo } from '../db/competitions-repo.js';
import type { MinerRow, MinersRepo } from '../db/miners-repo.js';
import { isValidatorError } from '../errors.js';
import { newToken, sha256Hex } from '../ids.js';
import type { LimitLog } from '../limit-log.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SubmissionService } from '../services/submission-service.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { LogThrottle } from './log-throttle.js';
import type { MinerSession, SessionRegistry } from './session-registry.js';
import { createTokenBucket, type KeyedBuckets } from './token-bucket.js';

/** The socket operations a connection needs. */
export interface Wire {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** What a connection needs. */
export interface ConnectionDeps {
  miners: MinersRepo;
  competitions: CompetitionsRepo;
  auth: AuthRepo;
  registry: SessionRegistry;
  scheduler: Scheduler;
  submissions: SubmissionService;
  logger: Logger;
  now: () => number;
  heartbeatIntervalMs: number;
  /** Re-sends a reconnecting miner the results of its scored jobs. */
  resendResults?: (minerId: string) => Promise<void>;
}

/** Gateway-wide limits and state shared by every connection. */
export interface ConnectionGuards {
  limits: Limits;
  throttle: AuthThrottle;
  /** job.progress budget per miner and job (key `minerId job`). */
  progress: KeyedBuckets;
  limitLog: LimitLog;
  log: LogThrottle;
  /** The connection authenticated: its handshake slot is free again. */
  authenticated(): void;
}

/** Who is on the other end: `remote` is address:port for logs, `address` the key per-address limits use. */
interface Peer {
  remote: string;
  address: string;
}

/** A live miner connection. */
export interface MinerConnection {
  /** Takes one received frame (text frame bytes, or a binary frame when `binary`). */
  receive(raw: string | Uint8Array, binary?: boolean): void;
  /** A ping or pong arrived: it counts against the frame rate like any frame. */
  receiveControl(): void;
  /** The handshake deadline passed: refuses the connection unless it authenticated. */
  handshakeExpired(): void;
  /** The socket closed: forgets the session. */
  closed(): Promise<void>;
  /** Time (ms) the last frame arrived. */
  lastHeardAt(): number;
  /** Whether the connection finished authentication. */
  authenticated(): boolean;
  /** The authenticated miner, if any (for logs). */
  minerId(): string | undefined;
}

/** Used nonces (and ended sessions) kept per key; a replayed answer among them is named as such. */
const REPLAY_WINDOW = 100;

/** Frame bytes that cost one token of the frame rate limit. */
const FRAME_COST_BYTES = 64 * 1024;

/** Pre-auth refusals that say nothing about the peer (they do not count as failed handshakes). */
const NOT_A_FAILURE: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'internal_error']);
/**
 * Refusals that count against the challenged key only, not the address: a slow miner on a loaded validator
 * can miss the deadline through no fault of its own address (which other miners may share).
 */
const KEY_ONLY_FAILURE: ReadonlySet<ErrorCode> = new Set(['handshake_timeout']);

/** Creates the handler of one connection. */
export function createMinerConnection(
  wire: Wire,
  peer: Peer,
  deps: ConnectionDeps,
  guards: ConnectionGuards,
): MinerConnection {
  const { logger, now } = deps;
  const { limits, throttle } = guards;
  const { remote } = peer;
  let phase: 'hello' | 'challenged' | 'ready' | 'closed' = 'hello';
  let miner: MinerRow | undefined;
  let hello: Hello | undefined;
  let nonce = '';
  let challengedAt = 0;
  let session: MinerSession | undefined;
  let lastHeard = now();
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let closing: Promise<void> | undefined;
  let failureRecorded = false;
  let dropping = false;
  const burst = 2 * limits.framesPerSecond;
  // Frames past the burst are dropped and still spend, down to a debt of another burst: a short excess
  // recovers, sustained excess reaches the floor and closes the connection.
  const frames = createTokenBucket(limits.framesPerSecond, burst, now, burst);

  const send = (message: ValidatorMessage) => {
    if (phase !== 'closed') wire.send(encodeValidatorMessage(message));
  };
  const sendError = (code: ErrorCode, message: string, ref?: string) =>
    send({
      type: 'error',
      code,
      message: message.slice(0, 1000),
      ...(ref ? { ref: ref.slice(0, 128) } : {}),
    });
  /** Counts one failed handshake of this connection (once): its address, and its key once challenged. */
  const recordFailure = (keyOnly: boolean) => {
    if (failureRecorded || phase === 'ready') return;
    failureRecorded = true;
    const key = phase === 'challenged' ? miner?.public_key : undefined;
    if (keyOnly) {
      if (key !== undefined) throttle.failedKey(key);
    } else throttle.failed(peer.address, key);
  };
  const refuse = (code: ErrorCode, message: string) => {
    if (phase === 'closed') return;
    if (!NOT_A_FAILURE.has(code)) recordFailure(KEY_ONLY_FAILURE.has(code));
    sendError(code, message);
    phase = 'closed';
    wire.close(CLOSE_POLICY_VIOLATION, code);
    guards.log.warn('gateway.refused', { code, remote, minerId: miner?.id, message: message.slice(0, 200) });
  };

  async function onHello(frame: Hello): Promise<void> {
    const by = throttle.blocked(peer.address, frame.minerKey);
    if (by) {
      const limit = by === 'reconnects' ? 'auths_per_minute' : 'auth_failures_per_minute';
      guards.limitLog.hit(limit, by === 'address' ? peer.address : frame.minerKey, {
        remote,
        by,
        minerKey: frame.minerKey,
        code: 'rate_limited',
      });
      return refuse(
        'rate_limited',
        by === 'reconnects' ? 'too many reconnects; retry later' : 'too many failed handshakes; retry later',
      );
    }
    if (frame.protocolVersion !== PROTOCOL_VERSION) {
      return refuse('protocol_version_mismatch', `validator speaks protocol ${PROTOCOL_VERSION}`);
    }
    const row = await deps.miners.getByKey(frame.minerKey);
    if (phase === 'closed') return;
    if (!row) return refuse('unknown_key', 'this miner key is not registered');
    // Only memory until the signature verifies: the nonce, the claimed capacity and software.
    miner = row;
    hello = frame;
    nonce = createNonce();
    challengedAt = now();
    phase = 'challenged';
    send({ type: 'challenge', nonce });
  }

  async function onAuth(signature: string): Promise<void> {
    const claimed = miner as MinerRow;
    const helloFrame = hello as Hello;
    const key = claimed.public_key;
    if (now() - challengedAt > limits.nonceTtlSeconds * 1000) {
      return refuse('handshake_timeout', 'the challenge expired; reconnect');
    }
    const answerSha256 = sha256Hex(signature);
    if (!verifyPayload(key, challengePayload(nonce, key), signature)) {
      const replayed = await deps.auth.isUsedAnswer(claimed.id, answerSha256);
      return replayed
        ? refuse('challenge_replayed', 'this signature answers an already used challenge')
        : refuse('bad_signature', 'challenge signature does not verify');
    }
    const at = new Date(now()).toISOString();
    const token = newToken();
    const tokenSha256 = sha256Hex(token);
    await deps.auth.recordAuthentication(
      {
        nonce,
        minerId: claimed.id,
        issuedAt: new Date(challengedAt).toISOString(),
        usedAt: at,
        answerSha256,
        tokenSha256,
      },
      REPLAY_WINDOW,
    );
    await deps.miners.recordHello(claimed.id, helloFrame.capacity, helloFrame.software, at);
    const competition = await deps.competitions.get(claimed.competition_id);
    // The socket may have closed (or the deadline passed) while the writes ran: open no session then.
    if (phase !== 'challenged') {
      await deps.auth.endSession(tokenSha256, at, 'disconnected');
      return;
    }
    throttle.succeeded(peer.address, key);
    guards.authenticated();
    session = {
      minerId: claimed.id,
      competitionId: claimed.competition_id,
      publicKey: key,
      capacity: helloFrame.capacity,
      tokenSha256,
      connectedAt: now(),
      send,
      close: (code, reason) => {
        phase = 'closed';
        wire.close(code, reason);
      },
    };
    const replaced = deps.registry.add(session);
    if (replaced) {
      replaced.send({
        type: 'error',
        code: 'session_replaced',
        message: 'a newer connection of this key took over',
      });
      replaced.close(1000, 'session_replaced');
    }
    phase = 'ready';
    send({
      type: 'welcome',
      minerId: claimed.id,
      sessionToken: token,
      competition: { id: claimed.competition_id, name: competition?.name ?? '' },
      heartbeatIntervalMs: deps.heartbeatIntervalMs,
    });
    logger.info('miner.connected', { minerId: claimed.id, remote, capacity: helloFrame.capacity });
    await deps.scheduler.minerReady(claimed.id, claimed.competition_id);
    await deps.resendResults?.(claimed.id);
  }

  async function onJobFrame(current: MinerSession, frame: MinerMessage): Promise<void> {
    switch (frame.type) {
      case 'offer.accept':
        return deps.scheduler.answerOffer(current.minerId, frame.jobId, { accept: true });
      case 'offer.reject':
        return deps.scheduler.answerOffer(current.minerId, frame.jobId, {
          accept: false,
          reason: frame.reason,
        });
      case 'job.progress':
        return deps.submissions.progress(current.minerId, frame);
      case 'job.submit':
        return send(await deps.submissions.commit(current, frame));
      case 'heartbeat':
        return;
      default:
        return refuse('already_authenticated', `${frame.type} is only valid before welcome`);
    }
  }

  async function onReady(frame: MinerMessage): Promise<void> {
    try {
      await onJobFrame(session as MinerSession, frame);
    } catch (error) {
      const ref = 'jobId' in frame ? frame.jobId : undefined;
      if (isValidatorError(error)) return sendError(error.code, error.message, ref);
      logger.error('gateway.frame_failed', { minerId: session?.minerId, type: frame.type, error });
      sendError('internal_error', 'the validator failed to handle this frame', ref);
    }
  }

  async function handle(decoded: Result<MinerMessage>): Promise<void> {
    if (phase === 'closed') return;
    if (!decoded.ok) return refuse(decoded.error.code, decoded.error.message);
    const frame = decoded.value;
    switch (phase) {
      case 'hello':
        return frame.type === 'hello' ? onHello(frame) : refuse('not_authenticated', 'send hello first');
      case 'challenged':
        return frame.type === 'auth'
          ? onAuth(frame.signature)
          : refuse('not_authenticated', 'answer the challenge with auth');
      case 'ready':
        return onReady(frame);
    }
  }

  /** The frame rate limit; false when the frame is dropped (or the connection closed for it). */
  function admit(bytes: number): boolean {
    // Large frames cost more (one token per started 64 KiB): parsing them is what costs the CPU.
    const level = frames.spend(Math.max(1, Math.ceil(bytes / FRAME_COST_BYTES)));
    if (level <= -burst) {
      guards.limitLog.hit('frames_per_second', session?.minerId ?? peer.address, {
        remote,
        minerId: session?.minerId,
        code: 'rate_limited',
        action: 'closed',
      });
      refuse('rate_limited', `more than ${limits.framesPerSecond} frames per second`);
      return false;
    }
    if (level < 0 || pending >= burst) {
      if (!dropping) {
        dropping = true;
        guards.limitLog.hit('frames_per_second', session?.minerId ?? peer.address, {
          remote,
          minerId: session?.minerId,
          code: 'rate_limited',
          action: 'dropped',
        });
        sendError('rate_limited', `frames over ${limits.framesPerSecond} per second are dropped`);
      }
      return false;
    }
    dropping = false;
    return true;
  }

  function decode(raw: string | Uint8Array, binary: boolean): Result<MinerMessage, DecodeError> {
    if (binary) return fail('binary_frame', 'binary frames are not accepted; send JSON text frames');
    return decodeMinerMessage(raw);
  }

  /** Extra progress of one job is dropped silently: only the latest progress matters. */
  function progressDropped(decoded: Result<MinerMessage>): boolean {
    if (!decoded.ok || decoded.value.type !== 'job.progress' || !session) return false;
    return !guards.progress.take(`${session.minerId} ${decoded.value.jobId}`);
  }

  function enqueue(decoded: Result<MinerMessage>): void {
    pending++;
    chain = chain
      .then(() => handle(decoded))
      .catch((error) => {
        logger.error('gateway.handshake_failed', { remote, error });
        refuse('internal_error', 'the validator failed to handle this frame');
      })
      .finally(() => {
        pending--;
      });
  }

  return {
    receive: (raw, binary = false) => {
      if (phase === 'closed') return;
      lastHeard = now();
      try {
        if (!admit(typeof raw === 'string' ? raw.length : raw.byteLength)) return;
        const decoded = decode(raw, binary);
        if (progressDropped(decoded)) return;
        enqueue(decoded);
      } catch (error) {
        logger.error('gateway.receive_failed', { remote, error });
        refuse('internal_error', 'the validator failed to handle this frame');
      }
    },
    receiveControl: () => {
      if (phase !== 'closed') admit(1);
    },
    handshakeExpired: () => {
      if (phase !== 'hello' && phase !== 'challenged') return;
      guards.limitLog.hit('handshake_timeout_ms', peer.address, { remote, phase, code: 'handshake_timeout' });
      refuse('handshake_timeout', `authenticate within ${limits.handshakeTimeoutMs} ms`);
    },
    closed: () => (closing ??= finish()),
    lastHeardAt: () => lastHeard,
    authenticated: () => phase === 'ready',
    minerId: () => session?.minerId,
  };

  async function finish(): Promise<void> {
    // A peer that took a challenge and hung up without answering failed its handshake too.
    if (phase === 'challenged') recordFailure(true);
    phase = 'closed';
    await chain;
    if (!session) return;
    const current = deps.registry.remove(session);
    const at = new Date(now()).toISOString();
    await deps.auth.endSession(session.tokenSha256, at, current ? 'disconnected' : 'replaced');
    if (!current) return;
    await deps.miners.touch(session.minerId, at);
    logger.info('miner.disconnected', { minerId: session.minerId });
  }
}
