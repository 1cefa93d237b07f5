// Builds the operator's view of a program from its stored state and the runner's current decision: each
// phase with its resolved start and end and whether it is done, current or upcoming; every job it made;
// what it waits for next; and its last failure. The secret seed, and so the coming pairs, never appear.

import type { ProgramPhaseView, ProgramView } from '@tuning-arena/protocol';
import type { JobRow } from '../db/jobs-repo.js';
import type { ProgramRow } from '../db/programs-repo.js';
import { currentPhase, phaseStarts } from './program-plan.js';
import type { ProgramFailure } from './program-runner.js';
import { programJobs } from './program-runner.js';
import { type Decision, isActive, type ProgramState } from './program-step.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** What comes next, from a decision. */
function nextOf(decision: Decision, now: number): ProgramView['next'] {
  if (decision.kind === 'make') return { wait: 'now', at: iso(now) };
  if (decision.kind === 'end') return { wait: 'nothing', at: null };
  return { wait: decision.wait, at: decision.at === null ? null : iso(decision.at) };
}

/** The program view. */
export function programView(input: {
  row: ProgramRow;
  state: ProgramState;
  decision: Decision;
  jobRows: readonly JobRow[];
  failure: ProgramFailure | null;
  now: number;
}): ProgramView {
  const { row, state, now } = input;
  const starts = phaseStarts(state.spec, state.window);
  const current = currentPhase(starts, state.window, now);
  const jobs = programJobs(input.jobRows).sort((a, b) => a.seq - b.seq);
  const phases: ProgramPhaseView[] = state.spec.phases.map((spec, index) => {
    const startsAt = starts[index] ?? state.window.startsAt;
    const endsAt = starts[index + 1] ?? state.window.endsAt;
    const over = now >= startsAt && (current === null || index < current);
    return {
      index,
      spec,
      startsAt: iso(startsAt),
      endsAt: endsAt === null ? null : iso(endsAt),
      state: index === current ? 'current' : over ? 'done' : 'upcoming',
      jobsMade: jobs.filter((job) => job.phase === index).length,
    };
  });
  return {
    competitionId: row.competition_id,
    status: row.status,
    endReason: row.end_reason,
    phases,
    currentPhase: current,
    activeJobs: jobs.filter(isActive).length,
    jobs: jobs.map(({ seq, phase, row: job }) => ({
      seq,
      phase,
      jobId: job.id,
      model: job.model_id,
      dataset: job.dataset,
      timeLimitSeconds: job.time_limit_seconds,
      status: job.status,
      createdAt: job.created_at,
    })),
    next: row.status === 'active' ? nextOf(input.decision, now) : { wait: 'nothing', at: null },
    lastError: input.failure,
    updatedAt: row.updated_at,
  };
}
