// Authentication state: challenge nonces issued per key (and whether they were used) and the sessions they
// opened. Signature checks happen in the gateway; this module only stores.

import type { Db } from './open-db.js';

/** Queries over auth_nonces and sessions. */
export interface AuthRepo {
  insertNonce(nonce: string, minerId: string, at: string): Promise<void>;
  /** Marks an unused nonce used; false when it was already used or unknown. */
  useNonce(nonce: string, at: string): Promise<boolean>;
  /** The most recent used nonces of a miner, newest first. */
  usedNonces(minerId: string, limit: number): Promise<string[]>;
  insertSession(tokenSha256: string, minerId: string, at: string): Promise<void>;
  endSession(tokenSha256: string, at: string, reason: string): Promise<void>;
  /** Ends every open session (on start: connections do not survive a restart). */
  endOpenSessions(at: string, reason: string): Promise<number>;
}

/** Creates the auth repository. */
export function createAuthRepo(db: Db): AuthRepo {
  return {
    insertNonce: async (nonce, minerId, at) => {
      await db
        .insertInto('auth_nonces')
        .values({ nonce, miner_id: minerId, issued_at: at, used_at: null })
        .execute();
    },
    useNonce: async (nonce, at) => {
      const result = await db
        .updateTable('auth_nonces')
        .set({ used_at: at })
        .where('nonce', '=', nonce)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    usedNonces: async (minerId, limit) => {
      const rows = await db
        .selectFrom('auth_nonces')
        .select('nonce')
        .where('miner_id', '=', minerId)
        .where('used_at', 'is not', null)
        .orderBy('used_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => row.nonce);
    },
    insertSession: async (tokenSha256, minerId, at) => {
      await db
        .insertInto('sessions')
        .values({
          token_sha256: tokenSha256,
          miner_id: minerId,
          created_at: at,
          ended_at: null,
          end_reason: null,
        })
        .execute();
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
