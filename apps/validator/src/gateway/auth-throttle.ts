// Throttles failed handshakes per remote address and per miner key, in memory and bounded in size, so a
// `hello` + bad `auth` loop is refused with `rate_limited` before any database read, signature check or
// write. To keep an attacker from locking a miner out with its public key, the per-key throttle does not
// apply to the address that last authenticated that key. It stores nothing and survives no restart.

import { createKeyedBuckets } from './token-bucket.js';

/** Why a handshake is throttled: failures of the address or the key, or too many successes of the key. */
type ThrottledBy = 'address' | 'key' | 'reconnects';

/** The handshake failure throttle shared by every connection. */
export interface AuthThrottle {
  /** Whether a handshake from `address` (for `key`, when known) must be refused now. */
  blocked(address: string, key?: string): ThrottledBy | undefined;
  /** Records a failed handshake of `address` (and of `key`, when it is a registered key). */
  failed(address: string, key?: string): void;
  /** Records a failed handshake of `key` alone (a challenge left unanswered). */
  failedKey(key: string): void;
  /** Records a successful handshake: `address` is now the key's own address. */
  succeeded(address: string, key: string): void;
}

/** Keys and addresses remembered at once by each map. */
const MAX_TRACKED = 16_384;

/**
 * Creates a throttle allowing `failuresPerMinute` failures per address and per key, and `authsPerMinute`
 * successful handshakes per key (only the key's holder can spend those, so nobody else can lock it out).
 */
export function createAuthThrottle(
  failuresPerMinute: number,
  now: () => number,
  authsPerMinute = Number.POSITIVE_INFINITY,
): AuthThrottle {
  const rate = failuresPerMinute / 60;
  const byAddress = createKeyedBuckets(rate, failuresPerMinute, MAX_TRACKED, now);
  const byKey = createKeyedBuckets(rate, failuresPerMinute, MAX_TRACKED, now);
  const successes = Number.isFinite(authsPerMinute)
    ? createKeyedBuckets(authsPerMinute / 60, authsPerMinute, MAX_TRACKED, now)
    : undefined;
  const ownAddress = new Map<string, string>();
  return {
    blocked: (address, key) => {
      if (byAddress.empty(address)) return 'address';
      if (key !== undefined && ownAddress.get(key) !== address && byKey.empty(key)) return 'key';
      if (key !== undefined && successes?.empty(key)) return 'reconnects';
      return undefined;
    },
    failed: (address, key) => {
      byAddress.spend(address);
      if (key !== undefined) byKey.spend(key);
    },
    failedKey: (key) => byKey.spend(key),
    succeeded: (address, key) => {
      successes?.spend(key);
      ownAddress.delete(key);
      ownAddress.set(key, address);
      if (ownAddress.size > MAX_TRACKED) ownAddress.delete(ownAddress.keys().next().value as string);
    },
  };
}
