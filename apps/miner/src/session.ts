// One authenticated gateway session, without the socket: sends `hello`, answers the challenge, waits for
// `welcome`, then hands job frames on. Invalid or out-of-order validator frames are refused (reported and
// ignored), never acted on. Reconnecting, heartbeats and timers belong to `gateway-client.ts`.

import {
  challengePayload,
  decodeValidatorMessage,
  type ErrorFrame,
  type JobCancel,
  type JobOffer,
  type JobResult,
  type JobStart,
  type MinerMessage,
  PROTOCOL_VERSION,
  type Result,
  type SubmitAck,
  signPayload,
  type ValidatorMessage,
  type Welcome,
} from '@tuning-arena/protocol';
import type { MinerIdentity } from './keys.js';

/** Frames the miner acts on once the session is authenticated. */
export type JobFrame = JobOffer | JobStart | JobCancel | SubmitAck | JobResult | ErrorFrame;

/** Why a received frame was refused. */
export interface RefusedFrame {
  code: string;
  message: string;
}

/** Callbacks of a session. */
export interface SessionHandlers {
  /** Sends a frame on the underlying socket. */
  send(message: MinerMessage): void;
  /** Authentication succeeded. */
  onWelcome(welcome: Welcome): void;
  /** A job frame arrived after `welcome`. */
  onFrame(frame: JobFrame): void;
  /** The validator refused the connection before `welcome` (unknown key, version mismatch, ...). */
  onAuthError(frame: ErrorFrame): void;
}

/** Phases of a session. */
type SessionPhase = 'awaiting_challenge' | 'awaiting_welcome' | 'ready';

/** What the session announces in `hello`. */
interface SessionOptions {
  identity: MinerIdentity;
  capacity: number;
  software: string;
}

/** Creates a session; call `start()` once the socket is open, then `receive()` with every frame. */
export function createSession(options: SessionOptions, handlers: SessionHandlers) {
  let phase: SessionPhase = 'awaiting_challenge';
  const refuse = (code: string, message: string): Result<ValidatorMessage, RefusedFrame> => ({
    ok: false,
    error: { code, message },
  });

  return {
    /** The current phase. */
    get phase(): SessionPhase {
      return phase;
    },

    /** Sends `hello`. */
    start(): void {
      handlers.send({
        type: 'hello',
        protocolVersion: PROTOCOL_VERSION,
        minerKey: options.identity.publicKey,
        software: options.software,
        capacity: options.capacity,
      });
    },

    /** Handles one raw frame; returns the decoded frame, or why it was refused (and ignored). */
    receive(raw: string | Uint8Array): Result<ValidatorMessage, RefusedFrame> {
      const decoded = decodeValidatorMessage(raw);
      if (!decoded.ok) return refuse(decoded.error.code, decoded.error.message);
      const message = decoded.value;
      switch (message.type) {
        case 'heartbeat':
          return decoded;
        case 'challenge': {
          if (phase !== 'awaiting_challenge')
            return refuse('unexpected_frame', 'challenge after the handshake');
          const payload = challengePayload(message.nonce, options.identity.publicKey);
          phase = 'awaiting_welcome';
          handlers.send({ type: 'auth', signature: signPayload(options.identity.privateKeyPem, payload) });
          return decoded;
        }
        case 'welcome':
          if (phase !== 'awaiting_welcome') return refuse('unexpected_frame', 'welcome before auth or twice');
          phase = 'ready';
          handlers.onWelcome(message);
          return decoded;
        case 'error':
          if (phase === 'ready') handlers.onFrame(message);
          else handlers.onAuthError(message);
          return decoded;
        default:
          if (phase !== 'ready') return refuse('not_authenticated', `${message.type} before welcome`);
          handlers.onFrame(message);
          return decoded;
      }
    },
  };
}

/** A session as returned by `createSession`. */
export type Session = ReturnType<typeof createSession>;
