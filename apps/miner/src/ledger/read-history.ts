// Reads the ledger of a data directory without running a miner (for `history` and for tests), and formats
// every detail of it for people (`history --details`). It never writes anything but the schema migration.
// The table is history-table.ts's, the JSON and CSV exports history-export.ts's.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LEDGER_FILE } from '../config.js';
import { MinerError } from '../errors.js';
import { createLedgerRepo, type LedgerEntry } from './ledger-repo.js';
import { openDb } from './open-db.js';

/** Every ledger entry of the miner whose data directory is `dataDir`. */
export async function readLedgerHistory(dataDir: string): Promise<LedgerEntry[]> {
  const path = join(dataDir, LEDGER_FILE);
  if (!existsSync(path)) throw new MinerError('invalid_config', `no ledger at ${path}`);
  const db = await openDb(path);
  try {
    return await createLedgerRepo(db).history();
  } finally {
    await db.destroy();
  }
}

const short = (sha: string) => `${sha.slice(0, 12)}…`;
const num = (value: number | null) => (value === null ? '-' : value.toFixed(4));

/** JSON text stored in the ledger, as one compact line. */
const compact = (text: string | null) => (text === null ? '' : text.replaceAll('\n', ' '));

/** Formats ledger entries as indented text, one block per job. */
export function formatHistory(entries: LedgerEntry[]): string {
  if (entries.length === 0) return 'no offers yet\n';
  const lines: string[] = [];
  for (const { jobId, offer, job, submissions, result, notes } of entries) {
    const decision = offer?.decision
      ? offer.decision === 'accept'
        ? 'accepted'
        : `rejected: ${offer.reason ?? ''}`
      : 'undecided';
    lines.push(`${jobId}  ${job?.status ?? decision}`);
    if (offer) {
      lines.push(
        `  offer     ${offer.received_at}  ${offer.task_kind} on ${offer.model_id} (${offer.model_family}, ` +
          `${offer.parameter_count} params), ~${offer.approx_rows} rows, ${offer.time_limit_seconds}s -> ${decision}`,
      );
      if (offer.estimate) lines.push(`  estimate  ${compact(offer.estimate)}`);
      if (offer.settings) lines.push(`  settings  ${compact(offer.settings)}`);
    }
    if (job?.deadline) lines.push(`  deadline  ${job.deadline}${job.detail ? `  (${job.detail})` : ''}`);
    for (const s of submissions) {
      const commit =
        s.commit_status === 'acked'
          ? `committed ${s.committed_at}`
          : s.commit_status === 'refused'
            ? `refused (${s.refusal_code})`
            : 'sent, unanswered';
      const upload =
        s.upload_status === 'failed' ? `upload failed (${s.upload_error})` : `upload ${s.upload_status}`;
      lines.push(
        `  submitted ${s.created_at}  ${short(s.artifact_sha256)} ${s.artifact_kind} ${s.artifact_bytes} B`,
      );
      lines.push(`            ${commit}; ${upload}; trainer ${s.trainer}`);
      lines.push(`            note: ${s.strategy_note}`);
      if (s.recipe) lines.push(`            recipe: ${compact(s.recipe)}`);
    }
    if (result) {
      const flags = JSON.parse(result.integrity_flags) as string[];
      lines.push(
        `  result    ${result.status} quality ${num(result.quality)} loss test ${num(result.loss_test)} ` +
          `synthetic ${num(result.loss_synthetic)} combined ${num(result.loss_combined)}` +
          (flags.length > 0 ? ` flags ${flags.join(',')}` : ''),
      );
    }
    for (const note of notes) lines.push(`  note      ${note.at}  ${note.text}`);
  }
  return `${lines.join('\n')}\n`;
}
