// `history --json` and `history --csv`: the ledger as a participant hands it in ("the models I submitted and
// the strategy I used"), with the camelCase keys the validator's API uses. JSON nests per job; CSV has one
// line per submission (a job without one gets a line too). Formatting only; reading is read-history.ts's.

import type { LedgerEntry } from './ledger-repo.js';

const camel = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** A ledger row with camelCase keys, as the validator's API spells its fields. */
function camelRow(row: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [camel(key), value]));
}

/** JSON text stored in the ledger, parsed back (null stays null; text that is not JSON stays text). */
function parsed(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Ledger entries as JSON-ready objects with the API's camelCase keys. */
export function historyJson(entries: LedgerEntry[]): Record<string, unknown>[] {
  return entries.map(({ jobId, offer, job, submissions, result, notes }) => ({
    jobId,
    offer: offer && {
      ...camelRow(offer),
      estimate: parsed(offer.estimate),
      settings: parsed(offer.settings),
    },
    job: job && camelRow(job),
    submissions: submissions.map((s) => ({ ...camelRow(s), recipe: parsed(s.recipe) })),
    result: result && { ...camelRow(result), integrityFlags: parsed(result.integrity_flags) },
    notes: notes.map(camelRow),
  }));
}

/** The CSV columns, in order. */
export const HISTORY_CSV_COLUMNS = [
  'jobId',
  'receivedAt',
  'taskKind',
  'modelId',
  'modelFamily',
  'parameterCount',
  'approxRows',
  'timeLimitSeconds',
  'decision',
  'reason',
  'estimatedSteps',
  'settings',
  'status',
  'submissionId',
  'createdAt',
  'artifactSha256',
  'artifactKind',
  'artifactBytes',
  'commitStatus',
  'committedAt',
  'uploadStatus',
  'trainer',
  'strategyNote',
  'recipe',
  'resultStatus',
  'lossTest',
  'lossSynthetic',
  'lossCombined',
  'quality',
  'integrityFlags',
] as const;

/** One CSV cell: quoted when it holds a comma, quote, line break or edge space (RFC 4180). */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The estimated steps of an offer's stored estimate, if it had one. */
function estimatedSteps(estimate: string | null): unknown {
  const value = parsed(estimate) as { steps?: unknown } | null;
  return typeof value === 'object' && value !== null ? value.steps : undefined;
}

/** Ledger entries as CSV: a header line, then one line per submission (or per job without one). */
export function historyCsv(entries: LedgerEntry[]): string {
  const lines = [HISTORY_CSV_COLUMNS.join(',')];
  for (const { jobId, offer, job, submissions, result } of entries) {
    const flags = result ? (parsed(result.integrity_flags) as unknown[]) : [];
    const shared = {
      jobId,
      receivedAt: offer?.received_at,
      taskKind: offer?.task_kind,
      modelId: offer?.model_id,
      modelFamily: offer?.model_family,
      parameterCount: offer?.parameter_count,
      approxRows: offer?.approx_rows,
      timeLimitSeconds: offer?.time_limit_seconds,
      decision: offer?.decision,
      reason: offer?.reason,
      estimatedSteps: offer ? estimatedSteps(offer.estimate) : undefined,
      settings: offer?.settings,
      status: job?.status,
      resultStatus: result?.status,
      lossTest: result?.loss_test,
      lossSynthetic: result?.loss_synthetic,
      lossCombined: result?.loss_combined,
      quality: result?.quality,
      integrityFlags: Array.isArray(flags) ? flags.join(';') : '',
    };
    const rows = submissions.length === 0 ? [undefined] : submissions;
    for (const s of rows) {
      const line: Record<string, unknown> = {
        ...shared,
        submissionId: s?.id,
        createdAt: s?.created_at,
        artifactSha256: s?.artifact_sha256,
        artifactKind: s?.artifact_kind,
        artifactBytes: s?.artifact_bytes,
        commitStatus: s?.commit_status,
        committedAt: s?.committed_at,
        uploadStatus: s?.upload_status,
        trainer: s?.trainer,
        strategyNote: s?.strategy_note,
        recipe: s?.recipe,
      };
      lines.push(HISTORY_CSV_COLUMNS.map((column) => cell(line[column])).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
