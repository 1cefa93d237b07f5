// The demo's outcome as data: the leaderboard and, per job, the base losses and every submission with its
// miner's strategy name, losses, quality and failed rules (the `--summary FILE` JSON). Built from what the
// operator API returned; it computes no score of its own.

import type { JobResultsView, JobView, LeaderboardView } from '@tuning-arena/protocol';

/** One job's view and its results. */
export interface JobOutcome {
  job: JobView;
  results: JobResultsView;
}

/** The `--summary` file. */
export interface DemoSummary {
  leaderboard: {
    miner: string;
    owner: string;
    score: number;
    jobs: number;
    submitted: number;
    eligible: boolean;
  }[];
  jobs: {
    id: string;
    model: string;
    dataset: string;
    startedAt: string | null;
    deadline: string | null;
    base: { test: number; synthetic: number } | null;
    submissions: {
      miner: string;
      strategy: string;
      test: number | null;
      synthetic: number | null;
      quality: number;
      flags: string[];
    }[];
  }[];
}

/** Builds the summary; `strategyOf` maps a miner's display name to its strategy name. */
export function buildSummary(
  leaderboard: LeaderboardView,
  outcomes: JobOutcome[],
  strategyOf: (miner: string) => string,
): DemoSummary {
  return {
    leaderboard: leaderboard.miners.map((m) => ({
      miner: m.displayName,
      owner: m.owner,
      score: m.score,
      jobs: m.jobs,
      submitted: m.submitted,
      eligible: m.eligible,
    })),
    jobs: outcomes.map(({ job, results }) => ({
      id: job.id,
      model: job.model.id,
      dataset: job.dataset,
      startedAt: job.startedAt,
      deadline: job.deadline,
      base: results.base,
      submissions: results.submissions.map((s) => ({
        miner: s.displayName,
        strategy: strategyOf(s.displayName),
        test: s.test,
        synthetic: s.synthetic,
        quality: s.quality,
        flags: s.flags.map((flag) => flag.rule),
      })),
    })),
  };
}
