// A new program row: the operator's validated phases and a fresh secret seed (32 random bytes, never shown),
// so miners cannot predict which model-dataset pairs come or how long each job runs.

import { randomBytes } from 'node:crypto';
import type { CompetitionProgram } from '@tuning-arena/protocol';
import type { ProgramRow } from '../db/programs-repo.js';

/** The row of a new, active program for a competition. */
export function newProgramRow(competitionId: string, program: CompetitionProgram, now: number): ProgramRow {
  const at = new Date(now).toISOString();
  return {
    competition_id: competitionId,
    spec: JSON.stringify(program),
    seed: randomBytes(32).toString('hex'),
    status: 'active',
    end_reason: null,
    created_at: at,
    updated_at: at,
  };
}
