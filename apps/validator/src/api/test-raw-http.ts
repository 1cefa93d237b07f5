// Test-only raw HTTP/1.1 client over node:net for body attacks (excluded from the build): it sends a head,
// then body bytes as the test decides (declared, chunked, trickled or never), and reports the response and
// whether the server closed the connection. Nothing here is used by the validator itself.

import { connect, type Socket } from 'node:net';
import { TEST_TOKEN } from '../test-fixtures.js';

/** A parsed response: status, lower-case headers and the JSON body's error code, if any. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: loosely inspected test bodies
  body: any;
}

/** One raw connection. */
interface RawConnection {
  socket: Socket;
  /** Resolves with the first complete response. */
  response: Promise<RawResponse>;
  /** Resolves once the server closed (or reset) the connection. */
  closed: Promise<void>;
  /** Writes bytes unless the socket is gone; false when it is. */
  write(bytes: string | Buffer): boolean;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Opens a connection to `port` and sends a request head for `method path` with the operator token. */
export function rawHttp(port: number, method: string, path: string, headers: Record<string, string> = {}) {
  const socket = connect(port, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  let resolveResponse: (r: RawResponse) => void = () => {};
  const response = new Promise<RawResponse>((resolve) => {
    resolveResponse = resolve;
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const parsed: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(parsed['content-length'] ?? 0);
    const body = buffer.subarray(end + 4, end + 4 + length);
    if (body.byteLength < length) return;
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = body.toString('utf8');
    }
    resolveResponse({ status: Number(statusLine.split(' ')[1]), headers: parsed, body: json });
  });
  const head = Object.entries({
    host: '127.0.0.1',
    authorization: `Bearer ${TEST_TOKEN}`,
    'content-type': 'application/json',
    ...headers,
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`${method} ${path} HTTP/1.1\r\n${head}\r\n`);
  const connection: RawConnection = {
    socket,
    response,
    closed,
    write: (bytes) => {
      if (socket.destroyed || !socket.writable) return false;
      socket.write(bytes);
      return true;
    },
    [Symbol.asyncDispose]: async () => {
      socket.destroy();
      await closed;
    },
  };
  return connection;
}

/** One HTTP/1.1 chunk of a chunked body. */
export function chunk(bytes: string | Buffer): Buffer {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return Buffer.concat([Buffer.from(`${data.byteLength.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
}

/** The last chunk of a chunked body. */
export const LAST_CHUNK = '0\r\n\r\n';
