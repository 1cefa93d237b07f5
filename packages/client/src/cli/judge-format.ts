// Text tables of the judge's views for the operator CLI: a job's results, the leaderboard, the rules and the
// audit log. Pure functions from the API's views to strings; `--json` prints the views themselves, so every
// detail left out here (evidence, verdicts that passed) is one flag away.

import { renderTable } from '@tuning-arena/node-kit';
import type { AuditEntryView, JobResultsView, LeaderboardView, RuleView } from '@tuning-arena/protocol';

const loss = (value: number | null | undefined) =>
  value === null || value === undefined ? '-' : value.toFixed(4);
const ratio = (value: number) => value.toPrecision(4);
const yes = (value: boolean) => (value ? 'yes' : 'no');
const compact = (value: unknown, max: number) => {
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** A job's report: where evaluation stands, the base, each submission (best first) and the misses. */
export function resultsTable(results: JobResultsView): string {
  const { evaluation, base } = results;
  const evaluated =
    evaluation === null
      ? 'not evaluated yet'
      : `evaluation ${evaluation.status} (${evaluation.attempts} attempt${evaluation.attempts === 1 ? '' : 's'})${evaluation.error === null ? '' : `: ${evaluation.error}`}`;
  const baseLine =
    base === null ? 'base: -' : `base: test ${loss(base.test)}, synthetic ${loss(base.synthetic)}`;
  const submissions =
    results.submissions.length === 0
      ? 'no evaluated submissions'
      : renderTable([
          [
            'miner',
            'name',
            'status',
            'test',
            'synthetic',
            'combined',
            'q',
            '95% interval',
            'Δ test',
            'Δ synth',
            'flags',
          ],
          ...results.submissions.map((s) => [
            s.minerId,
            s.displayName,
            s.status,
            loss(s.test),
            loss(s.synthetic),
            loss(s.combined),
            ratio(s.quality),
            s.interval === null ? '-' : `[${loss(s.interval[0])}, ${loss(s.interval[1])}]`,
            loss(s.improvement.test),
            loss(s.improvement.synthetic),
            s.flags.length === 0 ? '-' : s.flags.map((f) => `${f.rule}(${f.action})`).join(' '),
          ]),
        ]);
  const misses =
    results.misses.length === 0
      ? []
      : [
          '',
          renderTable([
            ['missed', 'name', 'owner', 'q'],
            ...results.misses.map((m) => [m.minerId, m.displayName, m.owner, ratio(m.quality)]),
          ]),
        ];
  return [`${results.jobId}  ${results.status}, ${evaluated}`, baseLine, '', submissions, ...misses].join(
    '\n',
  );
}

/** The leaderboard: miners, then owners, each ranked by score with award eligibility. */
export function leaderboardTable(board: LeaderboardView): string {
  if (board.miners.length === 0) return 'no miners';
  const miners = renderTable([
    ['rank', 'miner', 'name', 'owner', 'score', 'jobs', 'submitted', 'eligible'],
    ...board.miners.map((m) => [
      m.rank,
      m.minerId,
      m.displayName,
      m.owner,
      ratio(m.score),
      m.jobs,
      m.submitted,
      yes(m.eligible),
    ]),
  ]);
  const owners = renderTable([
    ['rank', 'owner', 'best miner', 'score', 'submitted', 'eligible'],
    ...board.owners.map((o) => [o.rank, o.owner, o.bestMiner, ratio(o.score), o.submitted, yes(o.eligible)]),
  ]);
  return [miners, '', owners].join('\n');
}

/** A rule's parameters as `a.b` paths to leaf values, the spelling `rules set --param a.b=v` takes. */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[path, value]];
  const entries = Object.entries(value);
  if (entries.length === 0) return path === '' ? [] : [[path, value]];
  return entries.flatMap(([key, inner]) => leaves(inner, path === '' ? key : `${path}.${key}`));
}

/** The integrity rules with their settings, one line per parameter; a `*` marks one changed from its default. */
export function ruleTable(rules: RuleView[]): string {
  const rows = rules.flatMap((r) => {
    const defaults = new Map(leaves(r.defaults).map(([path, value]) => [path, JSON.stringify(value)]));
    const params = leaves(r.params).map(
      ([path, value]) =>
        `${path}=${compact(value, 80)}${JSON.stringify(value) === defaults.get(path) ? '' : '*'}`,
    );
    const [first = '-', ...more] = params;
    return [[r.id, yes(r.enabled), r.action, first], ...more.map((param) => ['', '', '', param])];
  });
  return renderTable([['rule', 'enabled', 'action', 'params'], ...rows]);
}

/** The audit log as the API orders it (newest first). */
export function auditTable(entries: AuditEntryView[]): string {
  if (entries.length === 0) return 'no audit entries';
  return renderTable([
    ['at', 'actor', 'action', 'detail'],
    ...entries.map((e) => [e.at, e.actor, e.action, compact(e.detail, 120)]),
  ]);
}
