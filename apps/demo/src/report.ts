// Renders a demo summary as plain text for a terminal: per job the offers (with reasons) and the
// submissions (kind, hash, upload, strategy note), then the miners. It computes no scores.

import type { DemoSummary } from './demo.js';

function table(rows: string[][]): string {
  const [header] = rows;
  if (header === undefined) return '';
  const widths = header.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** The demo's closing report. */
export function formatReport(summary: DemoSummary): string {
  const names = new Map(summary.miners.map((miner) => [miner.id, miner.displayName]));
  const name = (id: string) => names.get(id) ?? id;
  const parts = [
    `Local competition on ${summary.base.name} (${summary.base.params} parameters, sha256 ${summary.base.sha256.slice(0, 12)}) in ${summary.seconds.toFixed(0)} s`,
  ];
  for (const { job, submissions } of summary.jobs) {
    parts.push(
      '',
      `Job ${job.id}: ${job.dataset} (${job.taskKind}), ${job.timeLimitSeconds} s, status ${job.status}`,
      table([
        ['miner', 'offer', 'reason'],
        ...job.offers.map((offer) => [name(offer.minerId), offer.status, offer.reason ?? '']),
      ]),
    );
    if (submissions.length === 0) {
      parts.push('no submissions');
      continue;
    }
    parts.push(
      table([
        ['miner', 'kind', 'artifact', 'uploaded', 'strategy note'],
        ...submissions.map((s) => [
          name(s.minerId),
          s.artifactKind,
          s.artifactSha256.slice(0, 12),
          s.uploaded ? `${((s.artifactBytes ?? 0) / 1024).toFixed(0)} KiB` : 'no',
          clip(s.strategyNote, 90),
        ]),
      ]),
    );
  }
  parts.push(
    '',
    table([
      ['miner', 'owner', 'connected'],
      ...summary.miners.map((miner) => [miner.displayName, miner.owner, String(miner.connected)]),
    ]),
    '',
    'Scoring (test and synthetic loss, quality, leaderboard) is not part of this build yet: submitted jobs are',
    "handed to the validator's evaluator seam and their artifacts are stored under the demo's work directory.",
  );
  return parts.join('\n');
}
