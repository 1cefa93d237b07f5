// The operator CLI's program commands: show where a competition's program stands, store one from a JSON or
// YAML file, pause, resume and end it; plus reading a program file for `competition create --program-file`.
// YAML is read with the protocol's bounded parser and sent as JSON; the validator checks the program.

import { readFile } from 'node:fs/promises';
import { renderTable } from '@tuning-arena/node-kit';
import {
  type CompetitionProgram,
  type ProgramView,
  parseBoundedJson,
  parseBoundedYaml,
} from '@tuning-arena/protocol';
import type { CommandContext } from './command-context.js';

/** The commands this module runs. */
export const PROGRAM_COMMANDS = [
  'program show',
  'program set',
  'program pause',
  'program resume',
  'program end',
] as const;
/** One of the program commands. */
export type ProgramCommand = (typeof PROGRAM_COMMANDS)[number];

/** Largest program file read (the validator's body limit is the real bound). */
const MAX_PROGRAM_BYTES = 1024 * 1024;
const LIMITS = { maxBytes: MAX_PROGRAM_BYTES, maxDepth: 16, maxValues: 10_000, maxStringLength: 10_000 };

/** Reads a program file: YAML when it ends in .yaml or .yml, JSON otherwise; a bad file is a usage error. */
export async function readProgramFile(ctx: CommandContext, path: string): Promise<CompetitionProgram> {
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw ctx.usage(`cannot read ${path}: ${error.message}`);
  });
  const parsed = /\.ya?ml$/i.test(path)
    ? parseBoundedYaml(text, LIMITS)
    : parseBoundedJson(Buffer.from(text, 'utf8'), LIMITS);
  if (!parsed.ok) throw ctx.usage(`${path}: ${parsed.error.message}`);
  // The validator checks the shape and says which field is wrong.
  return parsed.value as CompetitionProgram;
}

const when = (at: string | null) => at ?? '-';

/** A program view as text: status, each phase, the jobs made and what comes next. */
export function programText(view: ProgramView): string {
  const head = `program ${view.status}${view.endReason ? ` (${view.endReason})` : ''}; next: ${view.next.wait}${
    view.next.at ? ` at ${view.next.at}` : ''
  }; active jobs: ${view.activeJobs}`;
  const phases = renderTable([
    ['#', 'phase', 'state', 'starts', 'ends', 'jobs', 'at once', 'miners'],
    ...view.phases.map((phase) => [
      phase.index,
      phase.spec.name,
      phase.state,
      phase.startsAt,
      when(phase.endsAt),
      `${phase.jobsMade}${phase.spec.maxJobs === undefined ? '' : `/${phase.spec.maxJobs}`}`,
      phase.spec.concurrentJobs ?? 1,
      phase.spec.minersWanted,
    ]),
  ]);
  const jobs =
    view.jobs.length === 0
      ? 'no jobs yet'
      : renderTable([
          ['seq', 'phase', 'job', 'model', 'dataset', 'limit s', 'status', 'created'],
          ...view.jobs.map((job) => [
            job.seq,
            job.phase,
            job.jobId,
            job.model,
            job.dataset,
            job.timeLimitSeconds,
            job.status,
            job.createdAt,
          ]),
        ]);
  const failure = view.lastError ? `\nlast failure ${view.lastError.at}: ${view.lastError.message}` : '';
  return `${head}\n\n${phases}\n\n${jobs}${failure}`;
}

/** Runs one program command. */
export async function runProgramCommand(name: ProgramCommand, ctx: CommandContext): Promise<void> {
  const { client } = ctx;
  const competition = ctx.need(ctx.str('competition'), 'competition');
  const show = (view: ProgramView) => ctx.print(view, () => programText(view));
  switch (name) {
    case 'program show':
      return show(await client.programs.get(competition));
    case 'program set':
      return show(
        await client.programs.put(competition, await readProgramFile(ctx, ctx.need(ctx.str('file'), 'file'))),
      );
    case 'program pause':
      return show(await client.programs.pause(competition));
    case 'program resume':
      return show(await client.programs.resume(competition));
    case 'program end':
      return show(await client.programs.end(competition, ctx.str('reason')));
  }
}
