import { describe, expect, it } from 'vitest';
import { computeStandings, type StandingEntry, type StandingMiner } from './standings.js';

const miner = (minerId: string, owner: string): StandingMiner => ({
  minerId,
  displayName: minerId,
  owner,
  ownerKey: owner.toLowerCase(),
});
const entry = (
  jobId: string,
  minerId: string,
  quality: number,
  status: StandingEntry['status'] = 'valid',
): StandingEntry => ({
  jobId,
  minerId,
  quality,
  status,
});

describe('standings', () => {
  it('ranks miners by the product of their qualities over the jobs they accepted', () => {
    const standings = computeStandings(
      [miner('m1', 'ada'), miner('m2', 'bob'), miner('m3', 'cy')],
      [
        entry('j1', 'm1', 2),
        entry('j1', 'm2', 0.5),
        entry('j2', 'm1', 0.8),
        entry('j2', 'm2', 1.25),
        entry('j3', 'm1', 1.5),
        entry('j3', 'm2', 0, 'zeroed'),
      ],
    );
    expect(
      standings.miners.map((m) => [m.rank, m.minerId, m.score, m.jobs, m.submitted, m.eligible]),
    ).toEqual([
      [1, 'm1', 2 * 0.8 * 1.5, 3, 3, true],
      [2, 'm3', 1, 0, 0, false],
      [3, 'm2', 0, 3, 2, false],
    ]);
  });

  it('gives equal scores one rank and ranks owners by their best miner, counting models over all miners', () => {
    const standings = computeStandings(
      [miner('m1', 'Ada'), miner('m2', 'ada'), miner('m3', 'bob')],
      [
        entry('j1', 'm1', 1.2),
        entry('j2', 'm2', 1.2),
        entry('j3', 'm2', 1, 'missed'),
        entry('j1', 'm3', 1.1),
        entry('j4', 'm1', 1),
      ],
    );
    expect(standings.miners.map((m) => m.rank)).toEqual([1, 1, 3]);
    expect(standings.owners).toEqual([
      { rank: 1, owner: 'Ada', bestMiner: 'm1', score: 1.2, submitted: 3, eligible: true },
      { rank: 2, owner: 'bob', bestMiner: 'm3', score: 1.1, submitted: 1, eligible: false },
    ]);
  });
});
