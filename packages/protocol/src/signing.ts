// ed25519 keys and signatures (node:crypto) for the connect challenge and for submissions.
// Keys travel as raw 32-byte public keys in base64url; private keys are stored as PKCS#8 PEM.
// Every signed payload starts with a domain tag so a signature for one purpose never verifies for another.

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import type { ArtifactKind } from './common.js';

/** A miner's key pair: the public key in wire form and the private key as PKCS#8 PEM. */
export interface MinerKeyPair {
  publicKey: string;
  privateKeyPem: string;
}

/** Generates a fresh ed25519 key pair. */
export function generateMinerKeyPair(): MinerKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    publicKey: jwk.x as string,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/** Derives the wire public key from a PKCS#8 PEM private key. */
export function publicKeyFromPrivatePem(privateKeyPem: string): string {
  const jwk = createPublicKey(createPrivateKey(privateKeyPem)).export({ format: 'jwk' });
  return jwk.x as string;
}

/** A fresh random challenge nonce (32 bytes, base64url). */
export function createNonce(): string {
  return randomBytes(32).toString('base64url');
}

/** The bytes a miner signs to answer a challenge. */
export function challengePayload(nonce: string, minerKey: string): Buffer {
  return Buffer.from(`tuning-arena/auth/v1\n${nonce}\n${minerKey}`, 'utf8');
}

/** The bytes a miner signs to commit an artifact for a job. */
export function submissionPayload(
  jobId: string,
  minerKey: string,
  artifactSha256: string,
  kind: ArtifactKind,
): Buffer {
  return Buffer.from(`tuning-arena/submit/v1\n${jobId}\n${minerKey}\n${artifactSha256}\n${kind}`, 'utf8');
}

/** Signs a payload with a PKCS#8 PEM private key; returns base64url. */
export function signPayload(privateKeyPem: string, payload: Uint8Array): string {
  return sign(null, payload, createPrivateKey(privateKeyPem)).toString('base64url');
}

/**
 * Verifies a base64url signature by a wire public key; malformed keys or signatures verify as false, and so
 * does any key spelling other than the canonical one (node:crypto would decode every spelling to one key).
 */
export function verifyPayload(publicKey: string, payload: Uint8Array, signature: string): boolean {
  const keyBytes = Buffer.from(publicKey, 'base64url');
  if (keyBytes.byteLength !== 32 || keyBytes.toString('base64url') !== publicKey) return false;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    return verify(null, payload, key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
