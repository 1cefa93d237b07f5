// Operator actions on a competition's program: store it (validated against the window, the catalog and the
// datasets; the seed of an existing program is kept), show where it stands, pause, resume and end it early.
// The runner does the work; this module only checks, stores and asks the runner to step.

import type { CompetitionProgram, ProgramView } from '@tuning-arena/protocol';
import type { ProgramsRepo } from '../db/programs-repo.js';
import { ValidatorError } from '../errors.js';
import type { Logger } from '../logger.js';
import { newProgramRow } from '../program/new-program.js';
import type { ProgramRunner } from '../program/program-runner.js';
import { programView } from '../program/program-view.js';
import type { ProgramValidator } from '../program/validate-program.js';
import { windowOf } from '../scheduler/windows.js';
import type { CompetitionService } from './competition-service.js';

/** What the program service needs. */
interface ProgramServiceDeps {
  programs: ProgramsRepo;
  competitions: Pick<CompetitionService, 'require'>;
  runner: ProgramRunner;
  validate: ProgramValidator;
  logger: Logger;
  now: () => number;
}

/** A competition's program as the operator drives it. */
export interface ProgramService {
  /** Stores (or replaces) the program and steps it; throws `program_ended` for one that ended. */
  put(competitionId: string, program: CompetitionProgram): Promise<ProgramView>;
  /** Throws `not_found` without a program. */
  get(competitionId: string): Promise<ProgramView>;
  /** Makes no new job until resumed; running ones go on. */
  pause(competitionId: string): Promise<ProgramView>;
  resume(competitionId: string): Promise<ProgramView>;
  /** Ends the program for good (manual jobs still work). */
  end(competitionId: string, reason: string): Promise<ProgramView>;
}

/** Creates the program service. */
export function createProgramService(deps: ProgramServiceDeps): ProgramService {
  const { programs, runner, now } = deps;
  const iso = () => new Date(now()).toISOString();

  const get = async (competitionId: string): Promise<ProgramView> => {
    await deps.competitions.require(competitionId);
    const peeked = await runner.peek(competitionId);
    if (!peeked)
      throw new ValidatorError('not_found', `competition ${competitionId} has no program`, { status: 404 });
    return programView({
      row: peeked.row,
      state: peeked.state,
      decision: peeked.decision,
      jobRows: peeked.rows,
      failure: runner.lastError(competitionId),
      now: now(),
    });
  };

  /** Moves the program between statuses, or explains why it cannot. */
  const move = async (
    competitionId: string,
    from: ('active' | 'paused')[],
    to: 'active' | 'paused' | 'ended',
    reason?: string,
  ) => {
    await deps.competitions.require(competitionId);
    const row = await programs.get(competitionId);
    if (!row)
      throw new ValidatorError('not_found', `competition ${competitionId} has no program`, { status: 404 });
    if (row.status === 'ended')
      throw new ValidatorError('program_ended', 'the program has ended', { status: 409 });
    if (await programs.setStatus(competitionId, from, to, iso(), reason)) {
      deps.logger.info(`program.${to === 'active' ? 'resumed' : to}`, { competitionId, reason });
    }
    await runner.step(competitionId);
    return get(competitionId);
  };

  return {
    put: async (competitionId, program) => {
      const competition = await deps.competitions.require(competitionId);
      await deps.validate(program, windowOf(competition));
      if (!(await programs.put(newProgramRow(competitionId, program, now())))) {
        throw new ValidatorError('program_ended', 'the program has ended; it cannot be replaced', {
          status: 409,
        });
      }
      deps.logger.info('program.stored', { competitionId, phases: program.phases.length });
      await runner.step(competitionId);
      return get(competitionId);
    },
    get,
    pause: (competitionId) => move(competitionId, ['active'], 'paused'),
    resume: (competitionId) => move(competitionId, ['paused'], 'active'),
    end: (competitionId, reason) => move(competitionId, ['active', 'paused'], 'ended', reason),
  };
}
