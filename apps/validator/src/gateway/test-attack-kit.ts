// Test-only helpers for attacking the gateway and the HTTP socket layer (excluded from the build): raw TCP
// requests, a hand-made WebSocket upgrade, a logger that records events, and a read-only look at the
// validator's SQLite tables. Nothing here is used by the validator itself.

import { connect, type Socket } from 'node:net';
import { decodeValidatorMessage, PROTOCOL_VERSION, type ValidatorMessage } from '@tuning-arena/protocol';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import type { Logger } from '../logger.js';

/** Sends raw bytes on a fresh TCP connection; resolves with what came back once the peer closes. */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', done);
    socket.on('close', done);
    socket.setTimeout(timeoutMs, done);
    socket.write(bytes);
  });
}

/** The status code and the JSON error code of a raw HTTP response (undefined when there is none). */
export function parseResponse(text: string): { status: number | undefined; code: string | undefined } {
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
  const body = text.split('\r\n\r\n')[1] ?? '';
  let code: string | undefined;
  try {
    code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status: status ? Number(status) : undefined, code };
}

/** The bytes of a WebSocket upgrade request for `target`. */
export function upgradeRequest(target: string): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
  );
}

/** A raw TCP socket that did the upgrade by hand; resolves once the 101 arrived (or with the refusal). */
export function rawUpgrade(port: number, localAddress?: string): Promise<{ socket: Socket; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve({ socket, head });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(upgradeRequest('/v1/ws'));
  });
}

/** A logger that records every event (and drops the lines). */
export function recordingLogger(): Logger & {
  events: { level: string; event: string; fields: Record<string, unknown> }[];
} {
  const events: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      events.push({ level, event, fields });
    };
  return { events, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Counts rows of a table in the validator's database file (a separate read-only connection). */
export function countRows(dbPath: string, table: string, where = '1 = 1'): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** One row of a table in the validator's database file, as an object. */
export function readRow(
  dbPath: string,
  sql: string,
  ...params: unknown[]
): Record<string, unknown> | undefined {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

/** A WebSocket client from a chosen local address that records frames; `refused` is the HTTP status if the upgrade was. */
export interface AttackSocket {
  ws: WebSocket | undefined;
  refused: number | undefined;
  frames: ValidatorMessage[];
  closeCode: number | undefined;
  send(message: object): void;
  /** Waits for a frame of `type` (after index `from`); undefined when the socket closed first. */
  next<T extends ValidatorMessage['type']>(
    type: T,
    from?: number,
  ): Promise<Extract<ValidatorMessage, { type: T }> | undefined>;
  closed(): Promise<number | undefined>;
  close(): void;
}

/** Opens a WebSocket from `localAddress` (default 127.0.0.1); resolves once open or refused. */
export function attackSocket(wsUrl: string, localAddress = '127.0.0.1'): Promise<AttackSocket> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { localAddress, perMessageDeflate: false });
    const frames: ValidatorMessage[] = [];
    const waiters: (() => void)[] = [];
    const wake = () => {
      for (const w of waiters.splice(0)) w();
    };
    let onClose: (code: number | undefined) => void = () => undefined;
    const closedPromise = new Promise<number | undefined>((r) => {
      onClose = r;
    });
    const client: AttackSocket = {
      ws,
      refused: undefined,
      frames,
      closeCode: undefined,
      send: (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
      next: async (type, from = 0) => {
        for (;;) {
          const found = frames.slice(from).find((m) => m.type === type);
          if (found) return found as never;
          if (client.closeCode !== undefined || client.refused !== undefined) return undefined;
          await new Promise<void>((r) => waiters.push(r));
        }
      },
      closed: () => closedPromise,
      close: () => ws.close(),
    };
    ws.on('message', (data) => {
      const decoded = decodeValidatorMessage(data.toString());
      if (decoded.ok) frames.push(decoded.value);
      wake();
    });
    ws.on('unexpected-response', (_request, response) => {
      client.refused = response.statusCode;
      response.resume();
      ws.terminate();
      onClose(undefined);
      wake();
      resolve(client);
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      client.closeCode = code;
      onClose(code);
      wake();
    });
    ws.on('open', () => resolve(client));
  });
}

/** A hello frame for `minerKey`. */
export function helloFrame(minerKey: string, capacity = 1, software = 'test/1') {
  return { type: 'hello', protocolVersion: PROTOCOL_VERSION, minerKey, software, capacity };
}
