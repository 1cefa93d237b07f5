// Live progress while the program runs: one line when a job is made, a status line per running job every
// few seconds (miners training, steps, best train loss, time left), and one line per job once it is scored
// (its best miner and the cheats it caught). It polls the operator API and changes nothing.

import { type ArenaClient, isApiError } from '@tuning-arena/client';
import type { JobResultsView, JobView } from '@tuning-arena/protocol';
import { DemoError } from './errors.js';
import type { JobOutcome } from './summary.js';

/** Where the watcher writes and how long it may wait. */
export interface WatchOptions {
  write: (line: string) => void;
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** Seconds between status lines of a running job. */
  statusEverySeconds?: number;
}

const DONE = new Set(['scored', 'closed', 'cancelled']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function statusLine(job: JobView, names: Map<string, string>): string {
  const accepted = job.offers.filter((o) => o.status === 'accepted');
  const losses = job.offers.flatMap((o) => (o.progress?.trainLoss == null ? [] : [o.progress.trainLoss]));
  const steps = job.offers.flatMap((o) => (o.progress?.step == null ? [] : [o.progress.step]));
  const left = job.deadline ? Math.max(0, (Date.parse(job.deadline) - Date.now()) / 1000) : Number.NaN;
  const best = job.offers
    .filter((o) => o.progress?.trainLoss != null)
    .sort((a, b) => (a.progress!.trainLoss ?? 0) - (b.progress!.trainLoss ?? 0))[0];
  return (
    `  ${job.id} ${job.dataset}: ${job.status}, ${accepted.length} miners in, ` +
    (steps.length > 0 ? `steps up to ${Math.max(...steps)}, ` : '') +
    (losses.length > 0
      ? `best train loss ${Math.min(...losses).toFixed(3)} (${names.get(best!.minerId)}), `
      : '') +
    (Number.isFinite(left) ? `${left.toFixed(0)} s left` : 'waiting to start')
  );
}

function scoredLine(job: JobView, results: JobResultsView): string {
  const valid = results.submissions.filter((s) => s.status === 'valid').sort((a, b) => b.quality - a.quality);
  const caught = results.submissions.filter((s) => s.flags.length > 0);
  const top = valid[0];
  return (
    `  ${job.id} ${job.dataset} scored: ${results.submissions.length} submissions, ` +
    (top ? `best ${top.displayName} q=${top.quality.toFixed(2)}, ` : '') +
    `caught ${caught.map((s) => `${s.displayName} (${s.flags.map((f) => f.rule).join(', ')})`).join('; ') || 'nobody'}`
  );
}

/** Calls the API again after a network failure (the demo's own miners share the process and may hog it). */
async function retrying<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isApiError(error, 'network_error') || attempt >= 10) throw error;
      await sleep(1000);
    }
  }
}

/** Follows the competition's program until it has ended and every job it made is done; returns the jobs. */
export async function watchProgram(
  op: ArenaClient,
  competitionId: string,
  names: Map<string, string>,
  options: WatchOptions,
): Promise<JobOutcome[]> {
  const until = Date.now() + options.timeoutMs;
  const seen = new Set<string>();
  const outcomes = new Map<string, JobOutcome>();
  let lastStatus = 0;
  let phase: number | null = null;
  for (;;) {
    const program = await retrying(() => op.programs.get(competitionId));
    if (program.currentPhase !== null && program.currentPhase !== phase) {
      phase = program.currentPhase;
      options.write(`phase ${phase + 1}: ${program.phases[phase]?.spec.name ?? ''}`);
    }
    const statusDue = Date.now() - lastStatus >= (options.statusEverySeconds ?? 5) * 1000;
    for (const made of program.jobs) {
      if (outcomes.has(made.jobId)) continue;
      const job = await retrying(() => op.jobs.get(made.jobId));
      if (!seen.has(job.id)) {
        seen.add(job.id);
        options.write(
          `  job ${job.id}: ${job.dataset} on ${job.model.id}, ${job.timeLimitSeconds} s, ${job.trainRows} train rows`,
        );
      }
      if (DONE.has(job.status)) {
        const results = await retrying(() => op.jobs.results(job.id));
        outcomes.set(job.id, { job, results });
        options.write(job.status === 'scored' ? scoredLine(job, results) : `  ${job.id} ${job.status}`);
      } else if (statusDue) {
        options.write(statusLine(job, names));
      }
    }
    if (statusDue) lastStatus = Date.now();
    if (program.status === 'ended' && program.jobs.length > 0 && outcomes.size === program.jobs.length) {
      return program.jobs.map((made) => outcomes.get(made.jobId)!);
    }
    if (Date.now() > until) throw new DemoError('timed_out', 'the competition did not finish in time');
    await sleep(1000);
  }
}
