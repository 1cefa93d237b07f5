// `history`'s default view: one table row per job (offer, decision, estimate, last commit, result) with the
// rejection reason or the last strategy note at the end. Formatting only; details are read-history.ts's.

import { renderTable } from '@tuning-arena/node-kit';
import type { LedgerEntry } from './ledger-repo.js';

const num = (value: number | null | undefined) =>
  value === null || value === undefined ? '-' : value.toFixed(4);
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The estimated steps stored with an offer, or '-'. */
function steps(estimate: string | null): string | number {
  if (estimate === null) return '-';
  try {
    const value = (JSON.parse(estimate) as { steps?: unknown }).steps;
    return typeof value === 'number' ? value : '-';
  } catch {
    return '-';
  }
}

/** The ledger as a table, one row per job. */
export function formatHistoryTable(entries: LedgerEntry[]): string {
  if (entries.length === 0) return 'no offers yet\n';
  const rows: (string | number)[][] = [
    [
      'job',
      'received',
      'model',
      'rows',
      'limit',
      'decision',
      'est.steps',
      'status',
      'commits',
      'artifact',
      'kind',
      'quality',
      'test',
      'synthetic',
      'flags',
      'reason / strategy',
    ],
  ];
  for (const { jobId, offer, job, submissions, result } of entries) {
    const acked = submissions.filter((s) => s.commit_status === 'acked');
    const last = acked.at(-1) ?? submissions.at(-1);
    const flags = result ? (JSON.parse(result.integrity_flags) as string[]) : [];
    const why = offer?.decision === 'reject' ? (offer.reason ?? '') : (last?.strategy_note ?? '');
    rows.push([
      jobId,
      offer ? offer.received_at.slice(0, 19).replace('T', ' ') : '-',
      offer?.model_id ?? '-',
      offer?.approx_rows ?? '-',
      offer ? `${offer.time_limit_seconds}s` : '-',
      offer?.decision ?? '-',
      steps(offer?.estimate ?? null),
      job?.status ?? '-',
      acked.length,
      last ? last.artifact_sha256.slice(0, 12) : '-',
      last?.artifact_kind ?? '-',
      num(result?.quality),
      num(result?.loss_test),
      num(result?.loss_synthetic),
      flags.length > 0 ? flags.join(',') : '-',
      clip(why, 80),
    ]);
  }
  return `${renderTable(rows)}\n`;
}
