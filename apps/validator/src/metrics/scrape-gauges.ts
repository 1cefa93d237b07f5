// The gauges computed when Prometheus scrapes: connected miners (in memory), jobs by status and the
// evaluation queue (indexed counts in SQLite). One snapshot serves every gauge of a scrape, and scrapes
// closer together than `minIntervalMs` share it, so scraping cannot pile queries onto the validator.

import { JobStatus } from '@tuning-arena/protocol';
import { Gauge, type Registry } from 'prom-client';

/** Where the scrape-time gauges read from. */
export interface ScrapeSource {
  connectedMiners(): number;
  /** Jobs per status (statuses without jobs may be absent). */
  jobsByStatus(): Promise<Record<string, number>>;
  /** Queued and running evaluations per status. */
  evaluationQueue(): Promise<Record<string, number>>;
  /** Clock for the snapshot's age (default Date.now). */
  now?: () => number;
}

/** One scrape's readings. */
interface Snapshot {
  miners: number;
  jobs: Record<string, number>;
  queue: Record<string, number>;
}

const JOB_STATUSES = JobStatus.anyOf.map((literal) => String(literal.const));
const QUEUE_STATUSES = ['queued', 'running'];

/** Reads `source` at most once per `minIntervalMs`; concurrent callers share one reading. */
export function createSnapshots(source: ScrapeSource, minIntervalMs = 1_000): () => Promise<Snapshot> {
  const now = source.now ?? Date.now;
  let last: { at: number; value: Promise<Snapshot> } | undefined;
  const read = async (): Promise<Snapshot> => ({
    miners: source.connectedMiners(),
    jobs: await source.jobsByStatus(),
    queue: await source.evaluationQueue(),
  });
  return () => {
    const at = now();
    if (last && at - last.at < minIntervalMs) return last.value;
    const value = read();
    last = { at, value };
    // A failed reading is not kept: the next scrape tries again.
    value.catch(() => {
      if (last?.value === value) last = undefined;
    });
    return value;
  };
}

/** A scrape before any source was observed reads zeros. */
const EMPTY: Snapshot = { miners: 0, jobs: {}, queue: {} };

/**
 * Registers the scrape-time gauges on `registry`; they read the source last given to `observe` (a
 * composition made again over the same configuration, as after a restart in tests, replaces it).
 */
export function createScrapeGauges(registry: Registry): { observe(source: ScrapeSource): void } {
  let current: () => Promise<Snapshot> = async () => EMPTY;
  const snapshot = () => current();
  const registers = [registry];
  new Gauge({
    name: 'arena_connected_miners',
    help: 'Miners with an authenticated connection',
    registers,
    async collect() {
      this.set((await snapshot()).miners);
    },
  });
  new Gauge({
    name: 'arena_jobs',
    help: 'Jobs by status',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const { jobs } = await snapshot();
      for (const status of new Set([...JOB_STATUSES, ...Object.keys(jobs)]))
        this.set({ status }, jobs[status] ?? 0);
    },
  });
  new Gauge({
    name: 'arena_evaluation_queue_depth',
    help: 'Jobs waiting for evaluation (queued) or being evaluated (running)',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const { queue } = await snapshot();
      for (const status of QUEUE_STATUSES) this.set({ status }, queue[status] ?? 0);
    },
  });
  return {
    observe: (source) => {
      current = createSnapshots(source);
    },
  };
}
