// Answers an HTTP upgrade request that will not become a WebSocket: a small JSON error body
// (`{ error: { code, message } }`, as on every HTTP route) written to the raw socket, which is then closed
// and, if the peer does not close its side, destroyed shortly after. It never throws.

import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '@tuning-arena/protocol';

/** How long a refused socket may linger before it is destroyed. */
const LINGER_MS = 1000;

/** Writes `status` with an error body to `socket` and closes it. */
export function rejectUpgrade(socket: Duplex, status: number, code: ErrorCode, message: string): void {
  try {
    const body = JSON.stringify({ error: { code, message } });
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  } catch {
    socket.destroy();
  }
}

/** The path of a request target, or undefined when it cannot be parsed (never throws). */
export function requestPath(target: string | undefined): string | undefined {
  if (target?.[0] !== '/') return undefined;
  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
