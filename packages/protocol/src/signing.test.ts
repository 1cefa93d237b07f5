import { describe, expect, it } from 'vitest';
import { decodeMinerMessage } from './codec.js';
import {
  challengePayload,
  createNonce,
  generateMinerKeyPair,
  publicKeyFromPrivatePem,
  signPayload,
  submissionPayload,
  verifyPayload,
} from './signing.js';

describe('ed25519 signing', () => {
  it('verifies a challenge signed by the matching key', () => {
    const keys = generateMinerKeyPair();
    const nonce = createNonce();
    const signature = signPayload(keys.privateKeyPem, challengePayload(nonce, keys.publicKey));
    expect(verifyPayload(keys.publicKey, challengePayload(nonce, keys.publicKey), signature)).toBe(true);
  });

  it('refuses a signature by another key', () => {
    const keys = generateMinerKeyPair();
    const other = generateMinerKeyPair();
    const nonce = createNonce();
    const signature = signPayload(other.privateKeyPem, challengePayload(nonce, keys.publicKey));
    expect(verifyPayload(keys.publicKey, challengePayload(nonce, keys.publicKey), signature)).toBe(false);
  });

  it('does not accept a challenge signature as a submission signature', () => {
    const keys = generateMinerKeyPair();
    const sha = 'a'.repeat(64);
    const signature = signPayload(keys.privateKeyPem, challengePayload(sha, keys.publicKey));
    expect(
      verifyPayload(keys.publicKey, submissionPayload('job_1', keys.publicKey, sha, 'lora'), signature),
    ).toBe(false);
  });

  it('binds a submission to its job, hash and kind', () => {
    const keys = generateMinerKeyPair();
    const sha = 'a'.repeat(64);
    const signature = signPayload(
      keys.privateKeyPem,
      submissionPayload('job_1', keys.publicKey, sha, 'lora'),
    );
    expect(
      verifyPayload(keys.publicKey, submissionPayload('job_1', keys.publicKey, sha, 'lora'), signature),
    ).toBe(true);
    expect(
      verifyPayload(keys.publicKey, submissionPayload('job_2', keys.publicKey, sha, 'lora'), signature),
    ).toBe(false);
    expect(
      verifyPayload(keys.publicKey, submissionPayload('job_1', keys.publicKey, sha, 'full'), signature),
    ).toBe(false);
  });

  it('verifies only under the canonical spelling of a key, not under spellings with stray low bits', () => {
    const keys = generateMinerKeyPair();
    const nonce = createNonce();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    expect(keys.publicKey).toHaveLength(43);
    const last = alphabet.indexOf(keys.publicKey[42]!);
    for (const low of [1, 2, 3]) {
      const spelling = keys.publicKey.slice(0, 42) + alphabet[last + low];
      const signature = signPayload(keys.privateKeyPem, challengePayload(nonce, spelling));
      expect(verifyPayload(spelling, challengePayload(nonce, spelling), signature)).toBe(false);
    }
    for (const spelling of [
      `${keys.publicKey}=`,
      Buffer.from(keys.publicKey, 'base64url').toString('base64'),
    ]) {
      const signature = signPayload(keys.privateKeyPem, challengePayload(nonce, spelling));
      expect(verifyPayload(spelling, challengePayload(nonce, spelling), signature)).toBe(false);
    }
  });

  it('treats a malformed key or signature as not verified', () => {
    expect(verifyPayload('not-a-key', Buffer.from('x'), 'sig')).toBe(false);
  });

  it('produces keys and signatures that fit the wire schemas', () => {
    const keys = generateMinerKeyPair();
    expect(publicKeyFromPrivatePem(keys.privateKeyPem)).toBe(keys.publicKey);
    const nonce = createNonce();
    const signature = signPayload(keys.privateKeyPem, challengePayload(nonce, keys.publicKey));
    expect(decodeMinerMessage(JSON.stringify({ type: 'auth', signature })).ok).toBe(true);
    const hello = { type: 'hello', protocolVersion: 1, minerKey: keys.publicKey, software: 't', capacity: 1 };
    expect(decodeMinerMessage(JSON.stringify(hello)).ok).toBe(true);
  });
});
