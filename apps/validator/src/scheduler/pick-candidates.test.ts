import { describe, expect, it } from 'vitest';
import type { MinerSession } from '../gateway/session-registry.js';
import { pickCandidates } from './pick-candidates.js';

const session = (minerId: string, connectedAt: number, capacity = 1, competitionId = 'cmp_a') =>
  ({ minerId, connectedAt, capacity, competitionId }) as MinerSession;

describe('pickCandidates', () => {
  const sessions = [
    session('late', 5, 2),
    session('busy', 1, 2),
    session('full', 0, 1),
    session('early', 2, 2),
    session('offered', 0, 3),
    session('other', 0, 3, 'cmp_b'),
  ];
  const busy = (id: string) => ({ busy: 1, full: 1 })[id] ?? 0;
  const query = { competitionId: 'cmp_a', busy, offered: new Set(['offered']) };

  it('picks the least busy first, then the longest connected, skipping full, offered and other miners', () => {
    const ids = (needed: number) => pickCandidates(sessions, { ...query, needed }).map((s) => s.minerId);
    expect(ids(10)).toEqual(['early', 'late', 'busy']);
    expect(ids(2)).toEqual(['early', 'late']);
    expect(ids(1)).toEqual(['early']);
    expect(ids(0)).toEqual([]);
  });
});
