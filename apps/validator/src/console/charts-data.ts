// The numbers behind the console's charts, as pure functions of the API's views: each miner's score after
// every scored job (the leaderboard's history), each submission's loss gap to the job mean with its
// bootstrap interval (error bars), and the training loss curves of a job's miners. No I/O here.

import type {
  ConsoleIntervalChart,
  ConsoleLineChart,
  JobResultsView,
  ProgressPoint,
} from '@tuning-arena/protocol';

/** One stored score as the history needs it. */
export interface ScorePoint {
  jobId: string;
  minerId: string;
  quality: number;
  scoredAt: string;
}

/**
 * Each miner's competition score (the product of its qualities) after each scored job, jobs in the order
 * they were first scored; a miner not in a job keeps its score, and is null before its first job.
 */
export function scoreHistory(
  scores: ScorePoint[],
  miners: { minerId: string; displayName: string }[],
): ConsoleLineChart {
  const firstScored = new Map<string, string>();
  for (const s of scores) {
    const seen = firstScored.get(s.jobId);
    if (seen === undefined || s.scoredAt < seen) firstScored.set(s.jobId, s.scoredAt);
  }
  const jobs = [...firstScored.entries()].sort((a, b) => a[1].localeCompare(b[1])).map(([jobId]) => jobId);
  const byJob = new Map<string, Map<string, number>>();
  for (const s of scores) {
    const row = byJob.get(s.jobId) ?? new Map<string, number>();
    row.set(s.minerId, s.quality);
    byJob.set(s.jobId, row);
  }
  return {
    type: 'line',
    xLabel: 'scored job',
    yLabel: 'score',
    time: false,
    x: jobs.map((_, i) => i + 1),
    series: miners.map(({ minerId, displayName }) => {
      let score: number | null = null;
      return {
        label: displayName || minerId,
        y: jobs.map((jobId) => {
          const quality = byJob.get(jobId)?.get(minerId);
          if (quality !== undefined) score = (score ?? 1) * quality;
          return score;
        }),
      };
    }),
  };
}

/** Each pooled submission's combined loss minus the pool mean, with its paired bootstrap interval. */
export function intervalChart(results: JobResultsView): ConsoleIntervalChart {
  const pooled = results.submissions.filter((s) => s.interval !== null && s.combined !== null);
  const mean = pooled.reduce((sum, s) => sum + (s.combined as number), 0) / Math.max(1, pooled.length);
  return {
    type: 'interval',
    yLabel: 'combined loss − job mean (nats)',
    points: pooled.map((s) => ({
      label: s.displayName || s.minerId,
      value: (s.combined as number) - mean,
      lo: (s.interval as [number, number])[0],
      hi: (s.interval as [number, number])[1],
    })),
  };
}

/** Training loss against time (seconds since the epoch) for each miner with reported progress. */
export function lossCurves(curves: { label: string; points: ProgressPoint[] }[]): ConsoleLineChart {
  const times = [...new Set(curves.flatMap((c) => c.points.map((p) => Date.parse(p.at) / 1000)))].sort(
    (a, b) => a - b,
  );
  const index = new Map(times.map((t, i) => [t, i]));
  return {
    type: 'line',
    xLabel: 'time',
    yLabel: 'train loss',
    time: true,
    x: times,
    series: curves.map(({ label, points }) => {
      const y: (number | null)[] = times.map(() => null);
      for (const p of points) y[index.get(Date.parse(p.at) / 1000) as number] = p.trainLoss;
      return { label, y };
    }),
  };
}
