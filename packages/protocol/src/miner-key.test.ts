import { describe, expect, it } from 'vitest';
import { parseMinerKey } from './miner-key.js';
import { generateMinerKeyPair } from './signing.js';

const P = 2n ** 255n - 19n;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function keyOf(y: bigint, sign = 0n): string {
  const value = y | (sign << 255n);
  const bytes = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return bytes.toString('base64url');
}

function yAndSign(key: string): [bigint, bigint] {
  const bytes = Buffer.from(key, 'base64url');
  expect(bytes).toHaveLength(32);
  let value = 0n;
  for (let i = 31; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return [value & ((1n << 255n) - 1n), value >> 255n];
}

const code = (text: string) => {
  const parsed = parseMinerKey(text);
  return parsed.ok ? 'ok' : parsed.error.code;
};

describe('canonical miner keys', () => {
  it('accepts generated keys and returns their 32 bytes', () => {
    for (let i = 0; i < 20; i++) {
      const { publicKey } = generateMinerKeyPair();
      const parsed = parseMinerKey(publicKey);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(Buffer.from(parsed.value).toString('base64url')).toBe(publicKey);
    }
  });

  it('refuses the spellings that differ only in the unused low bits of the last character', () => {
    const { publicKey } = generateMinerKeyPair();
    expect(publicKey).toHaveLength(43);
    const last = ALPHABET.indexOf(publicKey[42]!);
    const spellings = [1, 2, 3].map((low) => publicKey.slice(0, 42) + ALPHABET[last + low]);
    for (const spelling of spellings) {
      expect(Buffer.from(spelling, 'base64url').equals(Buffer.from(publicKey, 'base64url'))).toBe(true);
      expect(code(spelling), spelling).toBe('invalid_key');
    }
  });

  it('refuses padded, standard-alphabet, wrong-length and empty keys', () => {
    let { publicKey } = generateMinerKeyPair();
    while (!/[-_]/.test(publicKey)) publicKey = generateMinerKeyPair().publicKey;
    const standard = Buffer.from(publicKey, 'base64url').toString('base64');
    for (const text of [
      `${publicKey}=`,
      standard,
      standard.replace(/=+$/, ''),
      publicKey.slice(0, 42),
      `${publicKey}A`,
      Buffer.alloc(33).toString('base64url'),
      '',
      ` ${publicKey.slice(1)}`,
    ]) {
      expect(code(text), text).toBe('invalid_key');
    }
  });

  it('refuses keys that are no curve point or whose y is not reduced', () => {
    expect(code(keyOf(P))).toBe('invalid_key'); // y = p encodes y = 0 a second time
    expect(code(keyOf(P + 1n))).toBe('invalid_key');
    expect(code(keyOf((1n << 255n) - 1n))).toBe('invalid_key');
    const offCurve = [2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n].filter((y) => code(keyOf(y)) === 'invalid_key');
    expect(offCurve.length).toBeGreaterThan(0);
    expect(code(keyOf(0n, 1n))).toBe('invalid_key');
  });

  it('refuses small-order points, the identity and the all-zero key among them', () => {
    expect(code('A'.repeat(43))).toBe('invalid_key'); // y = 0: a point of order 4
    expect(code(keyOf(1n))).toBe('invalid_key'); // the identity
    expect(code(keyOf(P - 1n))).toBe('invalid_key'); // (0, -1), order 2
  });

  it('refuses a key plus a torsion point (mixed order), which one private key could sign for', () => {
    const { publicKey } = generateMinerKeyPair();
    const [y, sign] = yAndSign(publicKey);
    // A + (0, -1) = (-x, -y): same private key, another spelling.
    expect(code(keyOf(P - y, sign ^ 1n))).toBe('invalid_key');
  });
});
