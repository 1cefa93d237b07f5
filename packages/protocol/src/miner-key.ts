// Canonical ed25519 public keys: one spelling per key. A key is accepted only as unpadded base64url of 32
// bytes that re-encodes to itself (so the unused low bits of the last character are zero) and decodes to a
// curve point (RFC 8032 section 5.1.3) of the prime-order subgroup: no small-order or mixed-order points,
// which one private key could otherwise sign for under several spellings. Pure BigInt arithmetic, no I/O.

import { fail, ok, type Result } from './result.js';

const P = 2n ** 255n - 19n;
/** Order of the prime-order subgroup (RFC 8032 `L`). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a: bigint) => {
  const r = a % P;
  return r < 0n ? r + P : r;
};

function pow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

const D = mod(-121665n * pow(121666n, P - 2n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

/** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
type Point = [bigint, bigint, bigint, bigint];

function add([x1, y1, z1, t1]: Point, [x2, y2, z2, t2]: Point): Point {
  const a = mod((y1 - x1) * (y2 - x2));
  const b = mod((y1 + x1) * (y2 + x2));
  const c = mod(2n * D * t1 * t2);
  const d = mod(2n * z1 * z2);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

function multiply(point: Point, scalar: bigint): Point {
  let result: Point = [0n, 1n, 1n, 0n];
  let addend = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

const isIdentity = ([x, y, z]: Point) => mod(x) === 0n && mod(y - z) === 0n;

/** Decodes 32 bytes to a point per RFC 8032 section 5.1.3; undefined when they encode none. */
function decodePoint(bytes: Uint8Array): Point | undefined {
  let y = bytes.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
  const sign = y >> 255n;
  y &= (1n << 255n) - 1n;
  if (y >= P) return undefined;
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 === mod(-u)) x = mod(x * SQRT_M1);
  else if (vx2 !== u) return undefined;
  if (x === 0n && sign === 1n) return undefined;
  if ((x & 1n) !== sign) x = P - x;
  return [x, y, 1n, mod(x * y)];
}

const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/;

/** Decodes a wire public key to its 32 bytes, refusing (`invalid_key`) any key that is not canonical. */
export function parseMinerKey(text: string): Result<Uint8Array> {
  if (!BASE64URL_43.test(text)) {
    return fail('invalid_key', 'a public key is 43 characters of unpadded base64url (32 bytes)');
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.byteLength !== 32 || bytes.toString('base64url') !== text) {
    return fail(
      'invalid_key',
      'public key is not in canonical base64url (its last character has stray bits)',
    );
  }
  const point = decodePoint(bytes);
  if (!point) return fail('invalid_key', 'public key is not an ed25519 curve point');
  if (isIdentity(multiply(point, 8n))) return fail('invalid_key', 'public key is a small-order point');
  if (!isIdentity(multiply(point, L))) {
    return fail('invalid_key', 'public key is not in the prime-order subgroup');
  }
  return ok(new Uint8Array(bytes));
}
