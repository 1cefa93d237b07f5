// The operator CLI's judge commands: a job's results, the leaderboard, the rules (list, set), re-scores and
// the audit log, each one call (or two) of the typed client. Parsing and exit codes live in operator-cli.ts.

import type { CommandContext } from './command-context.js';
import { auditTable, leaderboardTable, resultsTable, ruleTable } from './judge-format.js';
import { rulePatch } from './rule-patch.js';

/** The commands this module runs. */
export const JUDGE_COMMANDS = [
  'job results',
  'leaderboard',
  'rules list',
  'rules set',
  'rescore',
  'audit',
] as const;
/** One of the judge commands. */
export type JudgeCommand = (typeof JUDGE_COMMANDS)[number];

/** Runs one judge command. */
export async function runJudgeCommand(name: JudgeCommand, ctx: CommandContext): Promise<void> {
  const { client } = ctx;
  const competition = () => ctx.need(ctx.str('competition'), 'competition');
  switch (name) {
    case 'job results': {
      const results = await client.jobs.results(ctx.id);
      return ctx.print(results, () => resultsTable(results));
    }
    case 'leaderboard': {
      const board = await client.competitions.leaderboard(competition());
      return ctx.print(board, () => leaderboardTable(board));
    }
    case 'rules list': {
      const rules = await client.rules.list(competition());
      return ctx.print(rules, () => ruleTable(rules));
    }
    case 'rules set': {
      const patch = rulePatch({
        enabled: ctx.str('enabled'),
        action: ctx.str('action'),
        params: ctx.strs('param'),
      });
      if (!patch.ok) throw ctx.usage(patch.error);
      const rule = await client.rules.set(competition(), ctx.id, patch.value);
      return ctx.print(rule, () => ruleTable([rule]));
    }
    case 'rescore': {
      const job = ctx.str('job');
      const competitionId = ctx.str('competition');
      if ((job === undefined) === (competitionId === undefined)) {
        throw ctx.usage('give either --job (one job) or --competition (every evaluated job)');
      }
      if (job !== undefined) {
        const results = await client.jobs.rescore(job);
        return ctx.print(results, () => resultsTable(results));
      }
      const jobs = await client.competitions.rescore(competitionId as string);
      return ctx.print(jobs, () =>
        jobs.length === 0 ? 'no evaluated jobs to re-score' : `re-scored ${jobs.length}: ${jobs.join(' ')}`,
      );
    }
    case 'audit': {
      const entries = await client.competitions.audit(competition());
      return ctx.print(entries, () => auditTable(entries));
    }
  }
}
