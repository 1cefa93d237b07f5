// The key per-address limits count by: IPv4-mapped IPv6 addresses become plain IPv4, and other IPv6
// addresses count per /64 prefix (one host usually holds a whole /64, so per-address caps would be moot).
// It does no DNS and trusts no forwarding headers: the TCP peer is the address.

import { isIPv6 } from 'node:net';

function expandIPv6(address: string): string[] {
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array(Math.max(missing, 0)).fill('0'), ...right];
}

/** The address key of a remote peer (`unknown` when the socket has none, e.g. already closed). */
export function addressKey(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(remoteAddress)) return remoteAddress;
  const groups = expandIPv6((remoteAddress.split('%')[0] ?? '').toLowerCase());
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group || '0', 16).toString(16))
    .join(':')}::/64`;
}
