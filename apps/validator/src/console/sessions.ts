// Console sign-in state, in memory: one-time sign-in codes (the link the validator prints) and sessions.
// A session id is 32 random bytes, kept only as its sha256, with its own CSRF token; both expire. Bounded:
// at most `maxSessions` sessions and `maxCodes` codes (the oldest go first). A restart signs everyone
// out, and the validator prints a new link.

import { createHash, randomBytes } from 'node:crypto';
import { secretsEqual } from '../ids.js';

/** A signed-in console session. */
export interface ConsoleSession {
  csrf: string;
  expiresAt: number;
}

/** The store. */
export interface ConsoleSessions {
  /** A new one-time sign-in code, valid for `codeTtlMs`. */
  issueCode(): string;
  /** Uses a code up: true once for a live code, false ever after. */
  redeemCode(code: string): boolean;
  /** Starts a session; returns the cookie value (its id) and the session. */
  start(): { id: string; session: ConsoleSession };
  /** The live session of a cookie value, if any. */
  find(id: string | undefined): ConsoleSession | undefined;
  end(id: string | undefined): void;
  /** Whether a submitted CSRF token is the session's. */
  csrfMatches(session: ConsoleSession, token: string | undefined): boolean;
}

/** How long codes and sessions live and how many are kept. */
export interface SessionLimits {
  sessionTtlMs: number;
  codeTtlMs: number;
  maxSessions: number;
  maxCodes: number;
}

const token = () => randomBytes(32).toString('base64url');
const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

function insertBounded<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}

/** Creates an empty store over the clock `now`. */
export function createConsoleSessions(limits: SessionLimits, now: () => number): ConsoleSessions {
  const sessions = new Map<string, ConsoleSession>();
  const codes = new Map<string, number>();
  return {
    issueCode: () => {
      const code = token();
      insertBounded(codes, digest(code), now() + limits.codeTtlMs, limits.maxCodes);
      return code;
    },
    redeemCode: (code) => {
      const key = digest(code);
      const expiresAt = codes.get(key);
      codes.delete(key);
      return expiresAt !== undefined && now() < expiresAt;
    },
    start: () => {
      const id = token();
      const session = { csrf: token(), expiresAt: now() + limits.sessionTtlMs };
      insertBounded(sessions, digest(id), session, limits.maxSessions);
      return { id, session };
    },
    find: (id) => {
      if (!id || id.length > 100) return undefined;
      const key = digest(id);
      const session = sessions.get(key);
      if (session && now() >= session.expiresAt) {
        sessions.delete(key);
        return undefined;
      }
      return session;
    },
    end: (id) => {
      if (id && id.length <= 100) sessions.delete(digest(id));
    },
    csrfMatches: (session, submitted) => submitted !== undefined && secretsEqual(submitted, session.csrf),
  };
}
