// Identifier and secret generation: prefixed random ids for rows, random bearer tokens, and a constant-time
// token comparison. Nothing here touches the database.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new id such as `job_3fZ1...`: a short prefix plus 96 random bits in base64url. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** A new bearer token (256 random bits, base64url). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Hex sha256 (used to store tokens without keeping them); the protocol's one helper. */
export { sha256Hex } from '@tuning-arena/protocol';

/** Compares two secrets in constant time (by their digests, so lengths may differ). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
