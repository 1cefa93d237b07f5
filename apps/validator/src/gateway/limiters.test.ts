import { describe, expect, it } from 'vitest';
import { createAdmission } from './admission.js';
import { createAuthThrottle } from './auth-throttle.js';
import { addressKey } from './peer-address.js';
import { createKeyedBuckets, createTokenBucket } from './token-bucket.js';
import { requestPath } from './upgrade-response.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('token buckets', () => {
  it('allows a burst, goes into debt down to its floor and refills at its rate', () => {
    const c = clock();
    const bucket = createTokenBucket(10, 20, c.now, 20);
    for (let i = 0; i < 20; i++) expect(bucket.spend()).toBeGreaterThanOrEqual(0);
    expect(bucket.spend()).toBeLessThan(0);
    for (let i = 0; i < 100; i++) bucket.spend();
    expect(bucket.level()).toBe(-20);
    c.advance(2_000);
    expect(bucket.level()).toBe(0);
    c.advance(60_000);
    expect(bucket.level()).toBe(20);
    expect(bucket.spend(16)).toBe(4);
  });

  it('keeps at most maxKeys keyed buckets and forgets full ones', () => {
    const c = clock();
    const buckets = createKeyedBuckets(1, 2, 3, c.now);
    for (const key of ['a', 'b', 'c', 'd', 'e']) expect(buckets.take(key)).toBe(true);
    expect(buckets.size()).toBe(3);
    expect(buckets.take('e')).toBe(true);
    expect(buckets.take('e')).toBe(false);
    expect(buckets.empty('e')).toBe(true);
    c.advance(5_000);
    expect(buckets.empty('e')).toBe(false);
  });
});

describe('failed-handshake throttle', () => {
  it('blocks an address and a key past the limit, exempts the key’s own address and recovers', () => {
    const c = clock();
    const throttle = createAuthThrottle(3, c.now);
    throttle.succeeded('10.0.0.1', 'K');
    for (let i = 0; i < 3; i++) throttle.failed(`10.0.1.${i}`, 'K');
    expect(throttle.blocked('10.0.2.1', 'K')).toBe('key');
    expect(throttle.blocked('10.0.0.1', 'K')).toBeUndefined();
    expect(throttle.blocked('10.0.2.1', 'other')).toBeUndefined();
    for (let i = 0; i < 3; i++) throttle.failed('10.0.3.3');
    expect(throttle.blocked('10.0.3.3')).toBe('address');
    c.advance(60_000);
    expect(throttle.blocked('10.0.3.3')).toBeUndefined();
    expect(throttle.blocked('10.0.2.1', 'K')).toBeUndefined();
  });
});

describe('reconnect throttle', () => {
  it('refuses a key after authsPerMinute successes, from any address, and recovers', () => {
    const c = clock();
    const throttle = createAuthThrottle(3, c.now, 2);
    throttle.succeeded('10.0.0.1', 'K');
    throttle.succeeded('10.0.0.1', 'K');
    expect(throttle.blocked('10.0.0.1', 'K')).toBe('reconnects');
    expect(throttle.blocked('10.0.0.1', 'L')).toBeUndefined();
    c.advance(30_000);
    expect(throttle.blocked('10.0.0.1', 'K')).toBeUndefined();
  });
});

describe('admission', () => {
  it('caps handshakes in total and per address and frees a slot once', () => {
    const admission = createAdmission(3, 2);
    const a1 = admission.admit('a');
    const a2 = admission.admit('a');
    expect(admission.admit('a')).toEqual({ ok: false, limit: 'maxUnauthenticatedPerAddress' });
    const b1 = admission.admit('b');
    expect(admission.admit('c')).toEqual({ ok: false, limit: 'maxUnauthenticated' });
    if (!a1.ok || !a2.ok || !b1.ok) throw new Error('expected slots');
    a1.slot.release();
    a1.slot.release();
    expect(admission.count()).toBe(2);
    expect(admission.admit('a').ok).toBe(true);
    expect(admission.admit('c').ok).toBe(false);
  });
});

describe('peer addresses and request targets', () => {
  it('keys IPv4, mapped IPv4 and IPv6 per /64', () => {
    expect(addressKey('127.0.0.3')).toBe('127.0.0.3');
    expect(addressKey('::ffff:127.0.0.3')).toBe('127.0.0.3');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });

  it('parses request paths without throwing', () => {
    expect(requestPath('/v1/ws?x=1')).toBe('/v1/ws');
    for (const target of ['//', '///', '//@', 'http://', '//:99999', '', undefined, '*']) {
      expect(requestPath(target), String(target)).toBeUndefined();
    }
  });
});
