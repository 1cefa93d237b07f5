// The ledger's notes table: free-text notes about a job or the miner (cancellations, failures, resumes).

import type { Kysely, Selectable } from 'kysely';
import type { LedgerDatabase, NotesTable } from './schema.js';

/** A note row. */
export type NoteRow = Selectable<NotesTable>;

const now = () => new Date().toISOString();

/** Creates the notes repository over an open ledger database. */
export function createNotesLedger(db: Kysely<LedgerDatabase>) {
  return {
    /** Appends a free-text note, about a job or about the miner as a whole (`jobId` null). */
    async addNote(jobId: string | null, text: string): Promise<void> {
      await db.insertInto('notes').values({ job_id: jobId, at: now(), text }).execute();
    },
  };
}
