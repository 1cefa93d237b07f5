// The scheduler's window steps: at a competition's start its waiting jobs get their first offer round; at its
// end the jobs still offering close. Timers are armed from the competition rows (on start and when one is
// created) and run on the scheduler's queue like every other transition.

import type { CompetitionRow } from '../db/competitions-repo.js';
import type { JobRow, JobsRepo } from '../db/jobs-repo.js';
import type { Logger } from '../logger.js';
import type { Timers } from './timers.js';
import { windowOf } from './windows.js';

/** What the window steps need from the scheduler. */
interface WindowEdgesDeps {
  jobs: Pick<JobsRepo, 'listByCompetition'>;
  timers: Timers;
  logger: Logger;
  now: () => number;
  /** Wraps a timer's work so it runs on the scheduler's queue. */
  fromTimer: (name: string, task: () => Promise<void>) => () => void;
  /** The scheduler's offer round of one job. */
  round: (jobId: string) => Promise<void>;
  /** Ends a job unjudged, telling and freeing its miners. */
  withdraw: (job: JobRow, status: 'closed', reason: string) => Promise<void>;
}

/** Arms the start and end of a competition's window. */
export function createWindowEdges(deps: WindowEdgesDeps): (competition: CompetitionRow) => void {
  const { jobs, timers, logger } = deps;

  async function opened(competitionId: string): Promise<void> {
    logger.info('competition.window_opened', { competitionId });
    for (const job of await jobs.listByCompetition(competitionId)) {
      if (job.status === 'offering') await deps.round(job.id);
    }
  }

  async function closed(competitionId: string): Promise<void> {
    logger.info('competition.window_closed', { competitionId });
    for (const job of await jobs.listByCompetition(competitionId)) {
      if (job.status === 'offering') await deps.withdraw(job, 'closed', 'the competition ended');
    }
  }

  return (competition) => {
    const window = windowOf(competition);
    const id = competition.id;
    if (window.startsAt > deps.now()) {
      timers.at(
        `window-open:${id}`,
        window.startsAt,
        deps.fromTimer('window-open', () => opened(id)),
      );
    }
    if (window.endsAt !== null) {
      timers.at(
        `window-close:${id}`,
        window.endsAt,
        deps.fromTimer('window-close', () => closed(id)),
      );
    }
  };
}
