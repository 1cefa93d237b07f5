// The competition's standings from its scored jobs: a miner's score is the product of its qualities over
// the jobs it accepted; owners are ranked by their best miner; award eligibility needs at least
// `minSubmitted` usable submitted models (over all of an owner's miners for the owner). Pure; no I/O.

import type { EntryStatus } from './job-score.js';

/** A registered miner as the standings show it. */
export interface StandingMiner {
  minerId: string;
  displayName: string;
  owner: string;
  /** The normalised owner key (miners of one person share it). */
  ownerKey: string;
}

/** One miner's scored entry in one job. */
export interface StandingEntry {
  jobId: string;
  minerId: string;
  quality: number;
  status: EntryStatus;
}

/** One miner's line. */
interface MinerStanding {
  rank: number;
  minerId: string;
  displayName: string;
  owner: string;
  score: number;
  /** Jobs it accepted that were scored. */
  jobs: number;
  /** Of those, the jobs where it submitted a usable (not zeroed, not missed) model. */
  submitted: number;
  eligible: boolean;
}

/** One owner's line. */
interface OwnerStanding {
  rank: number;
  owner: string;
  bestMiner: string;
  score: number;
  submitted: number;
  eligible: boolean;
}

/** Both tables, each sorted by rank. */
interface Standings {
  miners: MinerStanding[];
  owners: OwnerStanding[];
}

/** Ranks by score (descending): equal scores share a rank (1, 2, 2, 4). */
function rankBy<T extends { score: number; rank: number }>(rows: T[], tieBreak: (a: T, b: T) => number): T[] {
  rows.sort((a, b) => b.score - a.score || tieBreak(a, b));
  rows.forEach((row, index) => {
    const previous = rows[index - 1];
    row.rank = previous !== undefined && previous.score === row.score ? previous.rank : index + 1;
  });
  return rows;
}

/** Computes the standings of every registered miner (a miner with no scored job has score 1, jobs 0). */
export function computeStandings(
  miners: readonly StandingMiner[],
  entries: readonly StandingEntry[],
  minSubmitted = 3,
): Standings {
  const rows: MinerStanding[] = miners.map((miner) => {
    const own = entries.filter((entry) => entry.minerId === miner.minerId);
    const submitted = own.filter((entry) => entry.status === 'valid').length;
    return {
      rank: 0,
      minerId: miner.minerId,
      displayName: miner.displayName,
      owner: miner.owner,
      score: own.reduce((product, entry) => product * entry.quality, 1),
      jobs: own.length,
      submitted,
      eligible: submitted >= minSubmitted,
    };
  });
  rankBy(rows, (a, b) => b.submitted - a.submitted || a.minerId.localeCompare(b.minerId));
  const byOwner = new Map<string, MinerStanding[]>();
  for (const miner of miners) {
    const row = rows.find((r) => r.minerId === miner.minerId) as MinerStanding;
    byOwner.set(miner.ownerKey, [...(byOwner.get(miner.ownerKey) ?? []), row]);
  }
  const owners: OwnerStanding[] = [...byOwner.values()].map((own) => {
    const best = own.reduce((a, b) =>
      b.score > a.score || (b.score === a.score && b.rank < a.rank) ? b : a,
    );
    const submitted = own.reduce((sum, row) => sum + row.submitted, 0);
    return {
      rank: 0,
      owner: best.owner,
      bestMiner: best.minerId,
      score: best.score,
      submitted,
      eligible: submitted >= minSubmitted,
    };
  });
  rankBy(owners, (a, b) => b.submitted - a.submitted || a.owner.localeCompare(b.owner));
  return { miners: rows, owners };
}
