// Competition windows as the scheduler needs them: when offers may start and when everything must be over,
// cached per competition (a window never changes once the competition exists), and whether a job may be
// offered or started at a given time. A job is offered and started only while its whole time limit still
// fits before the end; one that no longer fits is closed, never cut, so a miner always gets what it accepted.

import type { CompetitionRow, CompetitionsRepo } from '../db/competitions-repo.js';
import type { JobRow } from '../db/jobs-repo.js';
import type { Window } from '../program/program-plan.js';

/** Whether a job may be offered or started now: yes, not before the window opens, or no longer at all. */
export type WindowVerdict = 'open' | 'not_yet' | 'too_late';

/** The window of a competition row, in ms. */
export function windowOf(row: Pick<CompetitionRow, 'starts_at' | 'ends_at'>): Window {
  return {
    startsAt: Date.parse(row.starts_at),
    endsAt: row.ends_at === null ? null : Date.parse(row.ends_at),
  };
}

/** Whether `job` may be offered or started at `now` in `window`. */
export function jobVerdict(
  window: Window,
  job: Pick<JobRow, 'time_limit_seconds'>,
  now: number,
): WindowVerdict {
  if (now < window.startsAt) return 'not_yet';
  if (window.endsAt !== null && now + job.time_limit_seconds * 1000 > window.endsAt) return 'too_late';
  return 'open';
}

/** Cached windows per competition. */
export interface Windows {
  /** The window of a competition (an unknown one is always open). */
  get(competitionId: string): Promise<Window>;
}

/** Creates the window cache over the competitions repository. */
export function createWindows(competitions: Pick<CompetitionsRepo, 'get'>): Windows {
  const cache = new Map<string, Window>();
  return {
    get: async (competitionId) => {
      const cached = cache.get(competitionId);
      if (cached) return cached;
      const row = await competitions.get(competitionId);
      const window = row ? windowOf(row) : { startsAt: Number.NEGATIVE_INFINITY, endsAt: null };
      if (row) cache.set(competitionId, window);
      return window;
    },
  };
}
