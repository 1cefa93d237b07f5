// One miner WebSocket connection as a state machine: hello -> challenge -> auth -> welcome, then job frames
// routed to the scheduler and the submission service. Bad frames and failed authentication get an error
// frame and close 1008; refusals of job frames get an error frame and keep the connection. Frames of one
// connection are handled strictly in order. It knows nothing of sockets beyond the small `Wire` interface.

import {
  CLOSE_POLICY_VIOLATION,
  challengePayload,
  createNonce,
  decodeMinerMessage,
  type ErrorCode,
  encodeValidatorMessage,
  type Hello,
  type MinerMessage,
  PROTOCOL_VERSION,
  type ValidatorMessage,
  verifyPayload,
} from '@tuning-arena/protocol';
import type { AuthRepo } from '../db/auth-repo.js';
import type { CompetitionsRepo } from '../db/competitions-repo.js';
import type { MinerRow, MinersRepo } from '../db/miners-repo.js';
import { isValidatorError } from '../errors.js';
import { newToken, sha256Hex } from '../ids.js';
import type { Logger } from '../logger.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SubmissionService } from '../services/submission-service.js';
import type { MinerSession, SessionRegistry } from './session-registry.js';

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
}

/** A live miner connection. */
export interface MinerConnection {
  /** Queues one received frame. */
  receive(raw: string | Uint8Array): void;
  /** The socket closed: forgets the session. */
  closed(): Promise<void>;
  /** Time (ms) the last frame arrived. */
  lastHeardAt(): number;
  /** Whether the connection finished authentication. */
  authenticated(): boolean;
}

/** Older used nonces checked to tell a replay from a bad signature. */
const REPLAY_WINDOW = 100;

/** Creates the handler of one connection. */
export function createMinerConnection(wire: Wire, remote: string, deps: ConnectionDeps): MinerConnection {
  const { logger, now } = deps;
  let phase: 'hello' | 'auth' | 'ready' | 'closed' = 'hello';
  let miner: MinerRow | undefined;
  let hello: Hello | undefined;
  let nonce = '';
  let session: MinerSession | undefined;
  let lastHeard = now();
  let chain: Promise<void> = Promise.resolve();
  let closing: Promise<void> | undefined;

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
  const refuse = (code: ErrorCode, message: string) => {
    sendError(code, message);
    phase = 'closed';
    wire.close(CLOSE_POLICY_VIOLATION, code);
    logger.warn('gateway.refused', { code, remote, minerId: miner?.id, message });
  };

  async function onHello(frame: Hello): Promise<void> {
    if (frame.protocolVersion !== PROTOCOL_VERSION) {
      return refuse('protocol_version_mismatch', `validator speaks protocol ${PROTOCOL_VERSION}`);
    }
    miner = await deps.miners.getByKey(frame.minerKey);
    if (!miner) return refuse('unknown_key', 'this miner key is not registered');
    hello = frame;
    nonce = createNonce();
    await deps.auth.insertNonce(nonce, miner.id, new Date(now()).toISOString());
    await deps.miners.recordHello(miner.id, frame.capacity, frame.software, new Date(now()).toISOString());
    phase = 'auth';
    send({ type: 'challenge', nonce });
  }

  async function onAuth(signature: string): Promise<void> {
    if (!miner || !hello) return refuse('not_authenticated', 'send hello first');
    const key = miner.public_key;
    if (!verifyPayload(key, challengePayload(nonce, key), signature)) {
      const used = await deps.auth.usedNonces(miner.id, REPLAY_WINDOW);
      const replayed = used.some((old) => verifyPayload(key, challengePayload(old, key), signature));
      return replayed
        ? refuse('challenge_replayed', 'this signature answers an already used challenge')
        : refuse('bad_signature', 'challenge signature does not verify');
    }
    const at = new Date(now()).toISOString();
    if (!(await deps.auth.useNonce(nonce, at))) return refuse('challenge_replayed', 'challenge already used');
    const competition = await deps.competitions.get(miner.competition_id);
    const token = newToken();
    const tokenSha256 = sha256Hex(token);
    await deps.auth.insertSession(tokenSha256, miner.id, at);
    session = {
      minerId: miner.id,
      competitionId: miner.competition_id,
      publicKey: key,
      capacity: hello.capacity,
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
      minerId: miner.id,
      sessionToken: token,
      competition: { id: miner.competition_id, name: competition?.name ?? '' },
      heartbeatIntervalMs: deps.heartbeatIntervalMs,
    });
    logger.info('miner.connected', { minerId: miner.id, remote, capacity: hello.capacity });
    await deps.scheduler.minerReady(miner.id, miner.competition_id);
  }

  async function onJobFrame(frame: MinerMessage): Promise<void> {
    const current = session as MinerSession;
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

  async function handle(raw: string | Uint8Array): Promise<void> {
    if (phase === 'closed') return;
    const decoded = decodeMinerMessage(raw);
    if (!decoded.ok) return refuse(decoded.error.code, decoded.error.message);
    const frame = decoded.value;
    if (phase === 'hello') {
      return frame.type === 'hello' ? onHello(frame) : refuse('not_authenticated', 'send hello first');
    }
    if (phase === 'auth') {
      return frame.type === 'auth'
        ? onAuth(frame.signature)
        : refuse('not_authenticated', 'answer the challenge');
    }
    try {
      await onJobFrame(frame);
    } catch (error) {
      const ref = 'jobId' in frame ? frame.jobId : undefined;
      if (isValidatorError(error)) return sendError(error.code, error.message, ref);
      logger.error('gateway.frame_failed', { minerId: session?.minerId, type: frame.type, error });
      sendError('internal_error', 'the validator failed to handle this frame', ref);
    }
  }

  return {
    receive: (raw) => {
      lastHeard = now();
      chain = chain.then(() =>
        handle(raw).catch((error) => {
          logger.error('gateway.handshake_failed', { remote, error });
          if (phase !== 'closed') refuse('internal_error', 'the validator failed to handle this frame');
        }),
      );
    },
    closed: () => (closing ??= finish()),
    lastHeardAt: () => lastHeard,
    authenticated: () => phase === 'ready',
  };

  async function finish(): Promise<void> {
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
