// The offering jobs of each competition that still need miners (fewer pending plus accepted offers than
// wanted), oldest first: what a miner that connects or frees a slot is offered, without scanning every
// offering job. Loaded from the database once per competition, then kept by the scheduler's rounds.

import type { JobRow, JobsRepo } from '../db/jobs-repo.js';

/** An offering job and how many more miners it needs. */
interface OpenJob {
  job: JobRow;
  needed: number;
}

/** Open jobs per competition. */
export interface OpenJobs {
  /** A competition's open jobs, oldest first (a copy; loaded on first use). */
  of(competitionId: string): Promise<OpenJob[]>;
  /** Records how many miners a job still needs; 0 or less removes it. */
  set(job: JobRow, needed: number): void;
  /** Forgets a job (started, ended or cancelled). */
  remove(job: JobRow): void;
}

const before = (a: JobRow, b: JobRow) =>
  a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id);

/** Index of `job` in a list sorted oldest first, or where it would go. */
function position(list: OpenJob[], job: JobRow): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (before(list[mid]!.job, job)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Creates the open-job lists over the jobs repository. */
export function createOpenJobs(jobs: Pick<JobsRepo, 'listNeedingMiners'>): OpenJobs {
  const lists = new Map<string, OpenJob[]>();
  const update = (job: JobRow, needed: number) => {
    const list = lists.get(job.competition_id);
    if (!list) return;
    const at = position(list, job);
    const current = list[at];
    const found = current?.job.id === job.id;
    if (needed <= 0) {
      if (found) list.splice(at, 1);
    } else if (found) list[at] = { job: current.job, needed };
    else list.splice(at, 0, { job, needed });
  };
  return {
    of: async (competitionId) => {
      let list = lists.get(competitionId);
      if (!list) {
        list = await jobs.listNeedingMiners(competitionId);
        lists.set(competitionId, list);
      }
      return list.slice();
    },
    set: update,
    remove: (job) => update(job, 0),
  };
}
