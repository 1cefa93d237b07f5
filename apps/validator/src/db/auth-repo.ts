// Authentication state: the used challenge nonces of each key (with the hash of the answer, for replay
// detection) and the sessions they opened. Unanswered nonces live only in the connection's memory, so
// nothing is written for a key before it authenticates. Signature checks happen in the gateway.

import type { Db } from './open-db.js';

/** One successful challenge answer and the session it opens. */
export interface Authentication {
  nonce: string;
  minerId: string;
  issuedAt: string;
  usedAt: string;
  /** sha256 of the signature that answered the nonce. */
  answerSha256: string;
  tokenSha256: string;
}

/** Queries over auth_nonces and sessions. */
export interface AuthRepo {
  /**
   * Stores a used nonce and its new session in one transaction, keeping only the newest `keep` used
   * nonces and ended sessions of the miner (so reconnect loops cannot grow the tables without bound).
   */
  recordAuthentication(auth: Authentication, keep: number): Promise<void>;
  /** Whether this signature already answered one of the miner's kept nonces (a replay). */
  isUsedAnswer(minerId: string, answerSha256: string): Promise<boolean>;
  endSession(tokenSha256: string, at: string, reason: string): Promise<void>;
  /** Ends every open session (on start: connections do not survive a restart). */
  endOpenSessions(at: string, reason: string): Promise<number>;
}

/** Creates the auth repository. */
export function createAuthRepo(db: Db): AuthRepo {
  return {
    recordAuthentication: (auth, keep) =>
      db.transaction().execute(async (tx) => {
        await tx
          .insertInto('auth_nonces')
          .values({
            nonce: auth.nonce,
            miner_id: auth.minerId,
            issued_at: auth.issuedAt,
            used_at: auth.usedAt,
            answer_sha256: auth.answerSha256,
          })
          .execute();
        await tx
          .insertInto('sessions')
          .values({
            token_sha256: auth.tokenSha256,
            miner_id: auth.minerId,
            created_at: auth.usedAt,
            ended_at: null,
            end_reason: null,
          })
          .execute();
        const keptNonces = tx
          .selectFrom('auth_nonces')
          .select('nonce')
          .where('miner_id', '=', auth.minerId)
          .orderBy('used_at', 'desc')
          .limit(keep);
        await tx
          .deleteFrom('auth_nonces')
          .where('miner_id', '=', auth.minerId)
          .where('nonce', 'not in', keptNonces)
          .execute();
        const keptSessions = tx
          .selectFrom('sessions')
          .select('token_sha256')
          .where('miner_id', '=', auth.minerId)
          .orderBy('created_at', 'desc')
          .limit(keep);
        await tx
          .deleteFrom('sessions')
          .where('miner_id', '=', auth.minerId)
          .where('ended_at', 'is not', null)
          .where('token_sha256', 'not in', keptSessions)
          .execute();
      }),
    isUsedAnswer: async (minerId, answerSha256) => {
      const row = await db
        .selectFrom('auth_nonces')
        .select('nonce')
        .where('miner_id', '=', minerId)
        .where('answer_sha256', '=', answerSha256)
        .executeTakeFirst();
      return row !== undefined;
    },
    endSession: async (tokenSha256, at, reason) => {
      await db
        .updateTable('sessions')
        .set({ ended_at: at, end_reason: reason })
        .where('token_sha256', '=', tokenSha256)
        .where('ended_at', 'is', null)
        .execute();
    },
    endOpenSessions: async (at, reason) => {
      const result = await db
        .updateTable('sessions')
        .set({ ended_at: at, end_reason: reason })
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
