import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateOperatorToken } from './operator-token.js';

describe('operator token file', () => {
  it('generates a token once with mode 0600 and reuses it on restart', async () => {
    const root = await mkdtemp(join(tmpdir(), 'arena-token-'));
    try {
      const dataDir = join(root, 'data');
      const first = await loadOrCreateOperatorToken(dataDir);
      expect(first.created).toBe(true);
      expect(first.token.length).toBeGreaterThanOrEqual(40);
      expect((await stat(first.path)).mode & 0o777).toBe(0o600);
      const again = await loadOrCreateOperatorToken(dataDir);
      expect(again).toEqual({ ...first, created: false });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('gives two validators racing on one fresh data dir the same token', async () => {
    const root = await mkdtemp(join(tmpdir(), 'arena-token-'));
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateOperatorToken(root)));
      expect(new Set(results.map((r) => r.token)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
