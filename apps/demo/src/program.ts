// The demo's schedule, written as a competition program the validator runs on its own: single short jobs
// one at a time first, then several at once, over three bundled datasets (one procedural). A shorter
// variant keeps the same shape for tests.

import type { CompetitionProgram } from '@tuning-arena/protocol';

/** How long and how big the demo's jobs are. */
export interface DemoSchedule {
  /** Phase 1: one job at a time, this many jobs of this many seconds. */
  warmUp: { jobs: number; seconds: number; datasets: string[] };
  /** Phase 2, starting `startOffsetSeconds` after the competition: `jobs` at once. */
  main: { jobs: number; seconds: number; datasets: string[]; startOffsetSeconds: number };
  /** Train + test rows per job. */
  maxRows: number;
}

/** About three minutes on two cores: two 30 s jobs in turn, then three 45 s jobs at once. */
export const DEFAULT_SCHEDULE: DemoSchedule = {
  warmUp: { jobs: 2, seconds: 30, datasets: ['country-facts', 'arithmetic'] },
  main: {
    jobs: 3,
    seconds: 45,
    datasets: ['emoji-names', 'country-facts', 'arithmetic'],
    startOffsetSeconds: 72,
  },
  maxRows: 800,
};

/** The program of a schedule on `model`, offering each job to `miners` miners. */
export function demoProgram(schedule: DemoSchedule, model: string, miners: number): CompetitionProgram {
  const shared = { models: [model], minersWanted: miners, maxRows: schedule.maxRows, offerTtlSeconds: 10 };
  return {
    phases: [
      {
        name: 'warm-up: one short job at a time',
        ...shared,
        datasets: schedule.warmUp.datasets,
        timeLimit: schedule.warmUp.seconds,
        maxJobs: schedule.warmUp.jobs,
      },
      {
        name: 'main: several jobs at once',
        ...shared,
        startOffsetSeconds: schedule.main.startOffsetSeconds,
        datasets: schedule.main.datasets,
        timeLimit: schedule.main.seconds,
        concurrentJobs: schedule.main.jobs,
        maxJobs: schedule.main.jobs,
      },
    ],
  };
}
