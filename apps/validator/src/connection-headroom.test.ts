import { describe, expect, it } from 'vitest';
import { FD_RESERVE, openFilesLimit, withHeadroom } from './connection-headroom.js';
import { resolveLimits } from './limits.js';
import { silentLogger } from './logger.js';

const procLimits = (soft: number) =>
  'Limit                     Soft Limit           Hard Limit           Units\n' +
  `Max open files            ${soft}                20000                files\n`;

describe('connection headroom', () => {
  it('reads the soft open-files limit', () => {
    expect(openFilesLimit(procLimits(20000))).toBe(20000);
    expect(openFilesLimit('')).toBeUndefined();
  });

  it('keeps the TCP cap below the descriptor limit and the handshake cap at most half of it', () => {
    const limits = withHeadroom(
      resolveLimits({ maxHttpConnections: 50_000 }),
      silentLogger,
      procLimits(4096),
    );
    expect(limits.maxHttpConnections).toBe(4096 - FD_RESERVE);
    expect(limits.maxUnauthenticated).toBe(1024);
    const tight = withHeadroom(resolveLimits({ maxHttpConnections: 1000 }), silentLogger, procLimits(20000));
    expect(tight.maxUnauthenticated).toBe(500);
  });

  it('leaves the defaults alone under the 20 000 descriptors of the arena host', () => {
    const limits = resolveLimits();
    expect(withHeadroom(limits, silentLogger, procLimits(20000))).toEqual(limits);
  });
});
