// Renders a demo run for someone who has never seen the project: what each job was and how every miner did
// on it, the leaderboard of miners and owners, every caught cheat with its rule and evidence, and how each
// red-team strategy fared. It computes no score: the numbers are the validator's.

import { renderTable } from '@tuning-arena/node-kit';
import type { DemoRun } from './demo.js';
import { describeEvidence } from './evidence.js';

const loss = (value: number | null) => (value === null ? '-' : value.toFixed(3));

function jobSections(run: DemoRun, strategy: (name: string) => string): string[] {
  return run.outcomes.flatMap(({ job, results }) => [
    '',
    `Job ${job.id}: ${job.dataset} on ${job.model.id}, ${job.timeLimitSeconds} s, ${job.trainRows} train rows; ` +
      `the untouched base scores test ${loss(results.base?.test ?? null)}, synthetic ${loss(results.base?.synthetic ?? null)}`,
    renderTable([
      ['miner', 'strategy', 'test', 'synthetic', 'quality', 'failed rules'],
      ...[...results.submissions]
        .sort((a, b) => b.quality - a.quality)
        .map((s) => [
          s.displayName,
          strategy(s.displayName),
          loss(s.test),
          loss(s.synthetic),
          s.quality.toFixed(3),
          s.flags.map((f) => f.rule).join(', ') || '-',
        ]),
      ...results.misses.map((m) => [
        m.displayName,
        strategy(m.displayName),
        '-',
        '-',
        m.quality.toFixed(3),
        'nothing submitted in time',
      ]),
    ]),
  ]);
}

/** The demo's closing report. */
export function formatReport(run: DemoRun): string {
  const byName = new Map(run.participants.map((p) => [p.name, p]));
  const strategy = (name: string) => {
    const p = byName.get(name);
    return p ? `${p.honest ? '' : 'red:'}${p.strategy}` : '?';
  };
  const idToName = new Map(run.leaderboard.miners.map((m) => [m.minerId, m.displayName]));
  const name = (id: string) => idToName.get(id) ?? id;
  const parts = [
    `Tuning Arena local competition: ${run.outcomes.length} jobs on ${run.base.name} (${run.base.params} parameters), ` +
      `${run.participants.length} miners, ${run.seconds.toFixed(0)} s.`,
    'Each job: lower loss is better; quality q = exp(-(L - mean L) / tau) over the valid submissions (geometric mean 1),',
    '0 for a submission that failed a rule that zeroes it. A miner scores the product of its qualities.',
    ...jobSections(run, strategy),
    '',
    'Leaderboard (miners)',
    renderTable([
      ['rank', 'miner', 'owner', 'strategy', 'score', 'jobs', 'submitted', 'award'],
      ...run.leaderboard.miners.map((m) => [
        String(m.rank),
        m.displayName,
        m.owner,
        strategy(m.displayName),
        m.score.toPrecision(3),
        String(m.jobs),
        String(m.submitted),
        m.eligible ? 'yes' : 'no',
      ]),
    ]),
    '',
    'Leaderboard (owners, by their best miner)',
    renderTable([
      ['rank', 'owner', 'best miner', 'score', 'submitted', 'award'],
      ...run.leaderboard.owners.map((o) => [
        String(o.rank),
        o.owner,
        name(o.bestMiner),
        o.score.toPrecision(3),
        String(o.submitted),
        o.eligible ? 'yes' : 'no',
      ]),
    ]),
    '',
    'Caught cheats (rule: evidence)',
  ];
  for (const { job, results } of run.outcomes) {
    for (const s of results.submissions) {
      for (const flag of s.flags) {
        parts.push(
          `  ${s.displayName} (${strategy(s.displayName)}) in ${job.id} ${job.dataset}, q=${s.quality.toFixed(3)}: ${flag.rule} (${flag.action}): ${describeEvidence(flag.rule, flag.evidence, name)}`,
        );
      }
    }
  }
  parts.push('', 'Red team scorecard');
  const rows = [['miner', 'strategy', 'caught by', 'q per job', 'score']];
  for (const p of run.participants.filter((x) => !x.honest)) {
    const mine = run.outcomes.flatMap(({ results }) =>
      results.submissions.filter((s) => s.displayName === p.name),
    );
    const rules = [...new Set(mine.flatMap((s) => s.flags.map((f) => f.rule)))];
    const score = run.leaderboard.miners.find((m) => m.displayName === p.name)?.score;
    rows.push([
      p.name,
      p.strategy,
      rules.join(', ') || 'not caught',
      mine.map((s) => s.quality.toFixed(2)).join(' '),
      score === undefined ? '-' : score.toPrecision(3),
    ]);
  }
  parts.push(renderTable(rows));
  return parts.join('\n');
}
