// Runs each competition's program: on its own serial queue (job creation prepares data, which is slow, so it
// stays off the scheduler's queue) it asks `decide` what to do, makes the job (pair and time limit from the
// secret seed and what the database says has run), and arms one timer per program for the next moment that
// matters. Everything it decides from is stored, so after a restart (`restore`) it carries on where it was;
// the unique (competition, program_seq) index makes a second copy of a job impossible. It serves no HTTP.

import type { CompetitionProgram } from '@tuning-arena/protocol';
import type { CompetitionsRepo } from '../db/competitions-repo.js';
import type { JobRow, JobsRepo } from '../db/jobs-repo.js';
import type { ProgramRow, ProgramsRepo } from '../db/programs-repo.js';
import { isValidatorError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createSerialQueue } from '../scheduler/serial-queue.js';
import type { Timers } from '../scheduler/timers.js';
import { windowOf } from '../scheduler/windows.js';
import type { JobService } from '../services/job-service.js';
import { drawTimeLimit, fitTimeLimit, nextPair, pairKey, phasePairs } from './program-plan.js';
import { type Decision, decide, type ProgramJob, type ProgramState } from './program-step.js';

/** What the runner needs. */
interface ProgramRunnerDeps {
  programs: ProgramsRepo;
  competitions: Pick<CompetitionsRepo, 'get'>;
  jobs: Pick<JobsRepo, 'listByCompetition'>;
  makeJob: JobService['createForProgram'];
  timers: Timers;
  logger: Logger;
  now: () => number;
  defaultOfferTtlSeconds: number;
  /** Wait after a failure to make a job before trying again (default 60 s). */
  retrySeconds?: number;
}

/** The last failure to make a job of a program. */
export interface ProgramFailure {
  at: string;
  message: string;
}

/** Drives the programs. */
export interface ProgramRunner {
  /** Steps every active program (after a restart). */
  restore(): Promise<void>;
  /** Steps a program now and waits until it is done (after it was stored, resumed or ended). */
  step(competitionId: string): Promise<void>;
  /** Steps a program soon (a timer fired, a program job ended); failures are logged. */
  kick(competitionId: string): void;
  /** Tells the runner a job left offering or running. */
  jobEnded(job: JobRow): void;
  /** The decision a program is waiting on, as the view shows it. */
  peek(
    competitionId: string,
  ): Promise<{ row: ProgramRow; state: ProgramState; rows: JobRow[]; decision: Decision } | undefined>;
  lastError(competitionId: string): ProgramFailure | null;
  /** Resolves when no step is queued or running. */
  idle(): Promise<void>;
  stop(): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The jobs the program made, from a competition's job rows. */
export function programJobs(rows: readonly JobRow[]): (ProgramJob & { row: JobRow })[] {
  return rows.flatMap((row) =>
    row.program_seq === null || row.program_phase === null
      ? []
      : [
          {
            seq: row.program_seq,
            phase: row.program_phase,
            status: row.status,
            endedAt: row.ended_at === null ? null : Date.parse(row.ended_at),
            started: row.started_at !== null,
            row,
          },
        ],
  );
}

/** Creates the program runner. */
export function createProgramRunner(deps: ProgramRunnerDeps): ProgramRunner {
  const { programs, timers, logger, now } = deps;
  const queue = createSerialQueue();
  const failures = new Map<string, ProgramFailure & { retryAt: number }>();
  const retryMs = (deps.retrySeconds ?? 60) * 1000;
  let stopped = false;
  const timerKey = (competitionId: string) => `program:${competitionId}`;

  /** The program's state as stored, or undefined without a program or competition. */
  async function load(competitionId: string) {
    const row = await programs.get(competitionId);
    const competition = row && (await deps.competitions.get(competitionId));
    if (!row || !competition) return undefined;
    const rows = await deps.jobs.listByCompetition(competitionId);
    const state: ProgramState = {
      spec: JSON.parse(row.spec) as CompetitionProgram,
      status: row.status,
      window: windowOf(competition),
      jobs: programJobs(rows),
      retryAt: failures.get(competitionId)?.retryAt ?? null,
      defaultOfferTtlSeconds: deps.defaultOfferTtlSeconds,
    };
    return { row, state, rows };
  }

  /** Makes the next job of `phase`: the next pair and the time limit, both from the seed and the stored jobs. */
  async function make(
    competitionId: string,
    row: ProgramRow,
    state: ProgramState,
    rows: readonly JobRow[],
    phaseIndex: number,
  ) {
    const phase = state.spec.phases[phaseIndex];
    if (!phase) return;
    const seq = Math.max(0, ...state.jobs.map((job) => job.seq)) + 1;
    const used = new Map<string, number>();
    for (const job of rows) {
      const key = pairKey({ model: job.model_id, dataset: job.dataset });
      used.set(key, (used.get(key) ?? 0) + 1);
    }
    const pair = nextPair(phasePairs(row.seed, phaseIndex, phase), used);
    const ttl = phase.offerTtlSeconds ?? deps.defaultOfferTtlSeconds;
    const job = await deps.makeJob(competitionId, {
      model: pair.model,
      dataset: pair.dataset,
      minersWanted: phase.minersWanted,
      ...(phase.offerTtlSeconds === undefined ? {} : { offerTtlSeconds: phase.offerTtlSeconds }),
      ...(phase.maxRows === undefined ? {} : { maxRows: phase.maxRows }),
      timeLimitFor: (trainRows) =>
        fitTimeLimit(drawTimeLimit(phase.timeLimit, row.seed, seq, trainRows), state.window, now(), ttl),
      program: { seq, phase: phaseIndex },
    });
    logger.info('program.job_made', { competitionId, seq, phase: phaseIndex, jobId: job.id });
  }

  async function run(competitionId: string): Promise<void> {
    // Each pass makes at most one job; a phase with several slots fills them in consecutive passes.
    for (let pass = 0; pass < 1000 && !stopped; pass++) {
      const loaded = await load(competitionId);
      if (!loaded) return timers.clear(timerKey(competitionId));
      const { row, state, rows } = loaded;
      const decision = decide(state, now());
      if (decision.kind === 'end') {
        timers.clear(timerKey(competitionId));
        if (await programs.setStatus(competitionId, ['active'], 'ended', iso(now()), decision.reason)) {
          logger.info('program.ended', { competitionId, reason: decision.reason });
        }
        return;
      }
      if (decision.kind === 'wait') {
        if (decision.at === null) timers.clear(timerKey(competitionId));
        else timers.at(timerKey(competitionId), decision.at, () => kick(competitionId));
        return;
      }
      try {
        await make(competitionId, row, state, rows, decision.phase);
        failures.delete(competitionId);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.set(competitionId, { at: iso(now()), message, retryAt: now() + retryMs });
        const code = isValidatorError(error) ? error.code : 'internal_error';
        logger.warn('program.job_failed', { competitionId, phase: decision.phase, code, error: message });
      }
    }
  }

  const step = (competitionId: string) => queue.run(() => run(competitionId));
  const kick = (competitionId: string) => {
    if (stopped) return;
    step(competitionId).catch((error) => {
      if (!stopped) logger.error('program.step_failed', { competitionId, error });
    });
  };

  return {
    restore: async () => {
      for (const row of await programs.listByStatus(['active'])) kick(row.competition_id);
      await queue.idle();
    },
    step,
    kick,
    jobEnded: (job) => {
      if (job.program_seq !== null) kick(job.competition_id);
    },
    peek: async (competitionId) => {
      const loaded = await load(competitionId);
      return loaded && { ...loaded, decision: decide(loaded.state, now()) };
    },
    lastError: (competitionId) => {
      const failure = failures.get(competitionId);
      return failure ? { at: failure.at, message: failure.message } : null;
    },
    idle: () => queue.idle(),
    stop: () => {
      stopped = true;
      timers.clearAll();
    },
  };
}
