// Which commit of each accepted miner a job judges: the last one made before the deadline whose bytes were
// uploaded; when none of them was uploaded, the last one before the deadline (so the `commit` rule can say
// why it fails). Commits at or after the deadline never count. Pure.

import type { SubmissionRow } from '../db/submissions-repo.js';

/** The commit judged for one miner. */
interface PickedCommit {
  row: SubmissionRow;
  uploaded: boolean;
  /** When this miner first committed the judged hash (who-copied-whom looks at this, not a re-commit). */
  minerFirstCommittedAt: string;
}

/** Picks per miner (by id) the commit to judge, from a job's commits in commit order. */
export function pickSubmissions(
  commits: readonly SubmissionRow[],
  deadline: string,
): Map<string, PickedCommit> {
  const picked = new Map<string, PickedCommit>();
  const firstOf = new Map<string, string>();
  const end = Date.parse(deadline);
  for (const row of commits) {
    if (!(Date.parse(row.committed_at) < end)) continue;
    const key = `${row.miner_id} ${row.artifact_sha256}`;
    if (!firstOf.has(key)) firstOf.set(key, row.committed_at);
    const uploaded = row.artifact_bytes !== null;
    const current = picked.get(row.miner_id);
    // A later commit replaces an earlier one unless it lost the upload the earlier one has.
    if (!current || uploaded || !current.uploaded) {
      picked.set(row.miner_id, {
        row,
        uploaded,
        minerFirstCommittedAt: firstOf.get(key) ?? row.committed_at,
      });
    }
  }
  return picked;
}
