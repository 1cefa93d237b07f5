// The miner's ledger: one repository per table (offers, jobs, submissions, results, notes; each in its own
// module) combined into the one object the daemon uses, plus `history`, which reads them all for a report.
// It records facts; it decides nothing.

import type { Kysely } from 'kysely';
import { createJobsLedger, type JobRow } from './jobs-ledger.js';
import { createNotesLedger, type NoteRow } from './notes-ledger.js';
import { createOffersLedger, type OfferRow } from './offers-ledger.js';
import { createResultsLedger, type ResultRow } from './results-ledger.js';
import type { LedgerDatabase } from './schema.js';
import { createSubmissionsLedger, type SubmissionRow } from './submissions-ledger.js';

export type { JobRow } from './jobs-ledger.js';
export type { NoteRow } from './notes-ledger.js';
export type { OfferRow } from './offers-ledger.js';
export type { ResultRow } from './results-ledger.js';
export type { NewSubmission, SubmissionRow } from './submissions-ledger.js';

/** Everything the ledger knows about one job, for `history`. */
export interface LedgerEntry {
  jobId: string;
  offer: OfferRow | null;
  job: JobRow | null;
  submissions: SubmissionRow[];
  result: ResultRow | null;
  notes: NoteRow[];
}

/** The ledger's operations. */
export type LedgerRepo = ReturnType<typeof createLedgerRepo>;

/** Creates the ledger over an open database: every table's repository in one object, plus `history`. */
export function createLedgerRepo(db: Kysely<LedgerDatabase>) {
  return {
    ...createOffersLedger(db),
    ...createJobsLedger(db),
    ...createSubmissionsLedger(db),
    ...createResultsLedger(db),
    ...createNotesLedger(db),
    /** Every job the ledger knows of, oldest first, with offer, submissions, result and notes. */
    async history(): Promise<LedgerEntry[]> {
      const [offers, jobs, submissions, results, notes] = await Promise.all([
        db.selectFrom('offers').selectAll().orderBy('received_at').execute(),
        db.selectFrom('jobs').selectAll().orderBy('created_at').execute(),
        db.selectFrom('submissions').selectAll().orderBy('id').execute(),
        db.selectFrom('results').selectAll().execute(),
        db.selectFrom('notes').selectAll().orderBy('id').execute(),
      ]);
      const ids = [...new Set([...offers.map((o) => o.job_id), ...jobs.map((j) => j.job_id)])];
      return ids.map((jobId) => ({
        jobId,
        offer: offers.find((o) => o.job_id === jobId) ?? null,
        job: jobs.find((j) => j.job_id === jobId) ?? null,
        submissions: submissions.filter((s) => s.job_id === jobId),
        result: results.find((r) => r.job_id === jobId) ?? null,
        notes: notes.filter((n) => n.job_id === jobId),
      }));
    },
  };
}
