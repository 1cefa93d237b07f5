// Scores one evaluated job from what is stored: the base's and each submission's facts and per-example
// losses, the accepted miners, the competition's settings and the rules' verdicts. It is the one path for a
// first score and for every re-score, so toggling a rule changes exactly what the rule touches. No I/O:
// the caller loads the inputs and stores the rows.

import type { BaseFacts, ExampleLosses, SubmissionFacts } from '../evaluation/facts.js';
import { pairedBootstrap } from './bootstrap.js';
import {
  type JobEntry,
  type ScoredEntry,
  type ScoringSettings,
  scoreJob,
  type Verdict,
} from './job-score.js';
import { combinedLoss } from './quality.js';

/** An accepted miner and what evaluation stored for it (nothing when it committed nothing usable). */
export interface AcceptedMiner {
  minerId: string;
  facts: SubmissionFacts | undefined;
  losses: ExampleLosses | undefined;
}

/** What scoring one job needs. */
interface StoredJob {
  base: { facts: BaseFacts; losses: ExampleLosses };
  accepted: readonly AcceptedMiner[];
  settings: ScoringSettings;
  /** Judges one submission with every enabled rule (the integrity registry with the competition's settings). */
  judge: (submission: SubmissionFacts) => Verdict[];
  /** A uniform source in [0, 1) seeded per job, so intervals are the same on every re-score. */
  uniform: () => number;
  /** Bootstrap resamples (default 1000). */
  resamples?: number;
}

/** One scored miner with everything its report shows. */
export interface StoredScore extends ScoredEntry {
  test: number | null;
  synthetic: number | null;
  /** Paired bootstrap interval of its combined loss minus the pool mean; null when not in the valid pool. */
  interval: [number, number] | null;
  verdicts: Verdict[];
}

/** Scores a job; misses are accepted miners without facts (nothing committed or uploaded in time). */
export function scoreStoredJob(job: StoredJob): StoredScore[] {
  const verdicts = new Map<string, Verdict[]>();
  const entries: JobEntry[] = job.accepted.map(({ minerId, facts }) => {
    if (!facts) return { minerId, kind: 'miss' };
    const judged = job.judge(facts);
    verdicts.set(minerId, judged);
    // An unusable artifact has no losses: score it on the base's, so only its verdicts decide.
    const losses = facts.losses ?? job.base.facts.losses;
    return { minerId, kind: 'submission', test: losses.test, synthetic: losses.synthetic, verdicts: judged };
  });
  const ceiling = combinedLoss(
    job.base.facts.losses.test,
    job.base.facts.losses.synthetic,
    job.settings.weightTest,
  );
  const scored = scoreJob(entries, job.settings, ceiling);
  const pool = scored
    .map((entry, index) => ({ entry, losses: job.accepted[index]?.losses }))
    .filter(
      (item): item is { entry: ScoredEntry; losses: ExampleLosses } =>
        item.entry.status === 'valid' && item.losses !== undefined,
    );
  const intervals = pairedBootstrap(
    pool.map(({ losses }) => ({ test: losses.test, synthetic: losses.synthetic })),
    { weightTest: job.settings.weightTest, resamples: job.resamples ?? 1000, uniform: job.uniform },
  );
  const intervalOf = new Map(pool.map(({ entry }, index) => [entry.minerId, intervals[index] ?? null]));
  return scored.map((entry, index) => {
    const facts = job.accepted[index]?.facts;
    return {
      ...entry,
      test: facts?.losses?.test ?? null,
      synthetic: facts?.losses?.synthetic ?? null,
      interval: intervalOf.get(entry.minerId) ?? null,
      verdicts: verdicts.get(entry.minerId) ?? [],
    };
  });
}
