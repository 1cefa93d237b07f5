// Checks a program against what the schema cannot see: phase starts (an offset or a time, not both; in
// order; inside the window), time-limit ranges, that each phase's shortest job fits before the end, that
// every model is in the catalog and every dataset can be prepared. Failures name the field as a JSON pointer.

import type { CompetitionProgram, Issue } from '@tuning-arena/protocol';
import { ValidatorError } from '../errors.js';
import type { JobDataPreparer } from '../ports/job-data-preparer.js';
import type { ModelCatalog } from '../ports/model-catalog.js';
import { phaseStarts, shortestTimeLimit, type Window } from './program-plan.js';

/** Checks a program for a competition window; `at` prefixes the issue paths (`/program` inside a competition). */
export type ProgramValidator = (program: CompetitionProgram, window: Window, at?: string) => Promise<void>;

/** The structural checks that need the window but no ports. */
export function programIssues(program: CompetitionProgram, window: Window, at = ''): Issue[] {
  const issues: Issue[] = [];
  const starts = phaseStarts(program, window);
  program.phases.forEach((phase, i) => {
    const path = `${at}/phases/${i}`;
    const start = starts[i] ?? 0;
    if (phase.startsAt !== undefined && phase.startOffsetSeconds !== undefined) {
      issues.push({ path: `${path}/startsAt`, message: 'give startOffsetSeconds or startsAt, not both' });
    } else if (i > 0 && phase.startsAt === undefined && phase.startOffsetSeconds === undefined) {
      issues.push({ path: `${path}/startOffsetSeconds`, message: 'a phase after the first needs a start' });
    } else if (start < window.startsAt) {
      issues.push({ path: `${path}/startsAt`, message: 'starts before the competition does' });
    } else if (i > 0 && start <= (starts[i - 1] ?? 0)) {
      issues.push({ path: `${path}/startOffsetSeconds`, message: 'must start after the phase before it' });
    }
    const limit = phase.timeLimit;
    if (typeof limit !== 'number' && limit.min > limit.max) {
      issues.push({ path: `${path}/timeLimit/max`, message: 'max is below min' });
    }
    if (window.endsAt !== null && start + shortestTimeLimit(limit) * 1000 > window.endsAt) {
      issues.push({ path: `${path}/timeLimit`, message: 'even its shortest job would run past the end' });
    }
  });
  return issues;
}

/** Creates the validator over the model catalog and the data preparer. */
export function createProgramValidator(ports: {
  catalog: Pick<ModelCatalog, 'resolve'>;
  preparer: Pick<JobDataPreparer, 'check'>;
}): ProgramValidator {
  return async (program, window, at = '') => {
    const issues = programIssues(program, window, at);
    if (issues.length > 0) {
      throw new ValidatorError('invalid_body', `program: ${issues[0]?.message}`, { issues });
    }
    // Each name is checked once however many phases list it (a dataset check may read a whole file).
    const models = new Set<string>();
    const datasets = new Set<string>();
    for (const [i, phase] of program.phases.entries()) {
      for (const [j, model] of phase.models.entries()) {
        if (models.has(model)) continue;
        if (!(await ports.catalog.resolve(model))) {
          const path = `${at}/phases/${i}/models/${j}`;
          throw new ValidatorError('unknown_model', `program: model ${model} is not in the catalog`, {
            issues: [{ path, message: `unknown model ${model}` }],
          });
        }
        models.add(model);
      }
      for (const [j, dataset] of phase.datasets.entries()) {
        if (datasets.has(dataset)) continue;
        const path = `${at}/phases/${i}/datasets/${j}`;
        await ports.preparer.check(dataset).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          throw new ValidatorError('unknown_dataset', `program: ${message}`, { issues: [{ path, message }] });
        });
        datasets.add(dataset);
      }
    }
  };
}
