// One decision of the program, pure: given its phases, status, the window, the jobs it has made so far and
// the time, either make a job now (in which phase), wait (for what, until when), or end (why). The runner
// acts on it and asks again; the program view shows the same decision as "what comes next".

import type { CompetitionProgram, JobStatus, ProgramStatus, ProgramWait } from '@tuning-arena/protocol';
import { currentPhase, fitTimeLimit, phaseStarts, shortestTimeLimit, type Window } from './program-plan.js';

/** A job the program made, as the decision needs it. */
export interface ProgramJob {
  seq: number;
  phase: number;
  status: JobStatus;
  /** When it left offering or running (ms), or null while it has not. */
  endedAt: number | null;
  /** Whether it ever started (false for a job nobody accepted). */
  started: boolean;
}

/** Everything one decision looks at. */
export interface ProgramState {
  spec: CompetitionProgram;
  status: ProgramStatus;
  window: Window;
  jobs: readonly ProgramJob[];
  /** After a failure to make a job: not before this time (ms). */
  retryAt: number | null;
  /** The offer time to live of a phase that sets none. */
  defaultOfferTtlSeconds: number;
}

/** What the program does next. */
export type Decision =
  | { kind: 'make'; phase: number }
  | { kind: 'wait'; wait: ProgramWait; at: number | null; phase: number | null }
  | { kind: 'end'; reason: string };

/** Whether a job still holds a program slot (offering or running). */
export const isActive = (job: Pick<ProgramJob, 'status'>) =>
  job.status === 'offering' || job.status === 'running';

/** The job that ended last, if any did. */
function latestEnded(jobs: readonly ProgramJob[]): ProgramJob | undefined {
  let latest: ProgramJob | undefined;
  for (const job of jobs) {
    if (job.endedAt !== null && (!latest || job.endedAt > (latest.endedAt ?? 0))) latest = job;
  }
  return latest;
}

/** Decides the program's next move at `now`. */
export function decide(state: ProgramState, now: number): Decision {
  const { spec, window } = state;
  if (state.status !== 'active') return { kind: 'wait', wait: 'nothing', at: null, phase: null };
  if (window.endsAt !== null && now >= window.endsAt) return { kind: 'end', reason: 'the competition ended' };
  const starts = phaseStarts(spec, window);
  const first = Math.max(window.startsAt, starts[0] ?? window.startsAt);
  if (now < window.startsAt) return { kind: 'wait', wait: 'window_opens', at: window.startsAt, phase: null };
  const index = currentPhase(starts, window, now);
  const phase = index === null ? undefined : spec.phases[index];
  if (index === null || !phase) return { kind: 'wait', wait: 'phase_starts', at: first, phase: null };
  const nextStart = starts[index + 1] ?? null;
  const waitForNextPhase = (): Decision =>
    nextStart === null
      ? { kind: 'end', reason: 'every phase has made its jobs' }
      : { kind: 'wait', wait: 'phase_starts', at: nextStart, phase: index };

  const made = state.jobs.filter((job) => job.phase === index).length;
  if (phase.maxJobs !== undefined && made >= phase.maxJobs) return waitForNextPhase();
  const ttl = phase.offerTtlSeconds ?? state.defaultOfferTtlSeconds;
  if (fitTimeLimit(shortestTimeLimit(phase.timeLimit), window, now, ttl) === null) {
    if (nextStart === null) return { kind: 'end', reason: 'no time left before the end for another job' };
    return { kind: 'wait', wait: 'phase_starts', at: nextStart, phase: index };
  }
  const active = state.jobs.filter(isActive).length;
  // A phase change can raise the number of slots, so waiting for a job to end also wakes at the next phase.
  if (active >= (phase.concurrentJobs ?? 1))
    return { kind: 'wait', wait: 'a_job_ends', at: nextStart, phase: index };
  const last = latestEnded(state.jobs);
  // After a job nobody took, wait at least an offer's lifetime: busy miners would refuse the next one too,
  // and the program would burn through its phases in a burst of refused jobs.
  const quiet = Math.max(phase.pauseSeconds ?? 0, last && !last.started ? ttl : 0);
  const pauseEnds = (last?.endedAt ?? 0) + quiet * 1000;
  if (last && pauseEnds > now) {
    return { kind: 'wait', wait: 'pause_ends', at: pauseEnds, phase: index };
  }
  if (state.retryAt !== null && state.retryAt > now) {
    return { kind: 'wait', wait: 'retry', at: state.retryAt, phase: index };
  }
  return { kind: 'make', phase: index };
}
