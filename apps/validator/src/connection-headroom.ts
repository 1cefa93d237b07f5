// Keeps the connection limits inside what the process can hold: the total TCP cap below the file
// descriptor limit (with room for the database, artifact files and model reads), and the cap on
// unauthenticated sockets at most half of the total, so a handshake flood always leaves room for
// authenticated miners and the operator. It reads /proc/self/limits where there is one; it sets no limit.

import { readFileSync } from 'node:fs';
import type { Limits } from './limits.js';
import type { Logger } from './logger.js';

/** File descriptors kept free for everything that is not a client socket. */
export const FD_RESERVE = 512;

/** The soft open-files limit from the text of /proc/self/limits, if it states one. */
export function openFilesLimit(procLimits: string): number | undefined {
  const soft = /^Max open files\s+(\d+)/m.exec(procLimits)?.[1];
  return soft === undefined ? undefined : Number(soft);
}

function readProcLimits(): string {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return '';
  }
}

/** The limits adjusted to the descriptor limit and to each other; every adjustment is logged. */
export function withHeadroom(limits: Limits, logger: Logger, procLimits = readProcLimits()): Limits {
  const out = { ...limits };
  const files = openFilesLimit(procLimits);
  if (files !== undefined && out.maxHttpConnections > files - FD_RESERVE) {
    const used = Math.max(16, files - FD_RESERVE);
    logger.warn('limit.max_http_connections', {
      configured: out.maxHttpConnections,
      used,
      openFilesLimit: files,
      reason: `must stay ${FD_RESERVE} below the open-files limit`,
    });
    out.maxHttpConnections = used;
  }
  const ceiling = Math.max(1, Math.floor(out.maxHttpConnections / 2));
  if (out.maxUnauthenticated > ceiling) {
    logger.warn('limit.max_unauthenticated', {
      configured: out.maxUnauthenticated,
      used: ceiling,
      reason: 'must stay at most half of max-http-connections',
    });
    out.maxUnauthenticated = ceiling;
  }
  return out;
}
