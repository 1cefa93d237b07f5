// Commits (every signed submission, kept forever), the first commit time of each hash per competition, and
// the uploaded artifacts. A "submission" is the latest commit of one miner for one job.

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { ArtifactTable, CommitTable, FirstCommitTable } from './schema.js';

/** A stored commit row. */
export type CommitRow = Selectable<CommitTable>;
/** A stored first-commit row. */
export type FirstCommitRow = Selectable<FirstCommitTable>;
/** A stored artifact row. */
export type ArtifactRow = Selectable<ArtifactTable>;
/** A commit to insert (the sequence number is assigned by the database). */
export type NewCommit = Omit<CommitRow, 'seq' | 'recipe'> & { recipe?: string | null };

/** A latest commit joined with its hash's first commit time and upload state. */
export interface SubmissionRow extends CommitRow {
  first_committed_at: string;
  artifact_bytes: number | null;
}

/** Queries over commits, first_commits and artifacts. */
export interface SubmissionsRepo {
  /** Stores a commit and, if its hash is new in the competition, its first commit; returns the first time. */
  insertCommit(commit: NewCommit): Promise<string>;
  listCommits(jobId: string): Promise<CommitRow[]>;
  /** How many commits a miner made for a job (an index range count on commits_by_job). */
  countCommits(jobId: string, minerId: string): Promise<number>;
  /** The latest commit of each miner for a job, with first commit time and upload state. */
  listSubmissions(jobId: string): Promise<SubmissionRow[]>;
  /** Every commit of a job with its hash's first commit time and upload state, in commit order (for judging). */
  listCommitsWithUploads(jobId: string): Promise<SubmissionRow[]>;
  /** Miners that committed anything for a job. */
  committers(jobId: string): Promise<Set<string>>;
  /** Miners of a job whose latest commit is marked final. */
  finalCommitters(jobId: string): Promise<Set<string>>;
  /** Deadlines of the jobs in which a miner committed a hash. */
  commitDeadlines(minerId: string, sha256: string): Promise<(string | null)[]>;
  insertArtifact(row: ArtifactRow): Promise<void>;
  getArtifact(sha256: string): Promise<ArtifactRow | undefined>;
}

/** Each miner's latest commit, in commit order, from a job's commits in commit order. */
function latestPerMiner(rows: SubmissionRow[]): SubmissionRow[] {
  const latest = new Map<string, SubmissionRow>();
  for (const row of rows) latest.set(row.miner_id, row);
  return [...latest.values()].sort((a, b) => a.seq - b.seq);
}

/** Creates the submissions repository. */
export function createSubmissionsRepo(db: Db): SubmissionsRepo {
  // Every commit of a job with its hash's first commit time and its upload (if stored), in commit order.
  const commitsWithUploads = (jobId: string): Promise<SubmissionRow[]> =>
    db
      .selectFrom('commits as c')
      .innerJoin('first_commits as f', (join) =>
        join
          .onRef('f.competition_id', '=', 'c.competition_id')
          .onRef('f.artifact_sha256', '=', 'c.artifact_sha256'),
      )
      .leftJoin('artifacts as a', 'a.sha256', 'c.artifact_sha256')
      .selectAll('c')
      .select(['f.first_committed_at', 'a.bytes as artifact_bytes'])
      .where('c.job_id', '=', jobId)
      .orderBy('c.seq')
      .execute();
  return {
    insertCommit: (commit) =>
      db.transaction().execute(async (tx) => {
        await tx.insertInto('commits').values(commit).execute();
        await tx
          .insertInto('first_commits')
          .values({
            competition_id: commit.competition_id,
            artifact_sha256: commit.artifact_sha256,
            first_committed_at: commit.committed_at,
            job_id: commit.job_id,
            miner_id: commit.miner_id,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
        const first = await tx
          .selectFrom('first_commits')
          .select('first_committed_at')
          .where('competition_id', '=', commit.competition_id)
          .where('artifact_sha256', '=', commit.artifact_sha256)
          .executeTakeFirstOrThrow();
        return first.first_committed_at;
      }),
    countCommits: async (jobId, minerId) => {
      const row = await db
        .selectFrom('commits')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('job_id', '=', jobId)
        .where('miner_id', '=', minerId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    listCommits: (jobId) =>
      db.selectFrom('commits').selectAll().where('job_id', '=', jobId).orderBy('seq').execute(),
    listSubmissions: async (jobId) => latestPerMiner(await commitsWithUploads(jobId)),
    listCommitsWithUploads: (jobId) => commitsWithUploads(jobId),
    finalCommitters: async (jobId) =>
      new Set(
        latestPerMiner(await commitsWithUploads(jobId))
          .filter((row) => row.final === 1)
          .map((row) => row.miner_id),
      ),
    committers: async (jobId) => {
      const rows = await db
        .selectFrom('commits')
        .select('miner_id')
        .distinct()
        .where('job_id', '=', jobId)
        .execute();
      return new Set(rows.map((row) => row.miner_id));
    },
    commitDeadlines: async (minerId, sha256) => {
      const rows = await db
        .selectFrom('commits')
        .innerJoin('jobs', 'jobs.id', 'commits.job_id')
        .select('jobs.deadline')
        .where('commits.miner_id', '=', minerId)
        .where('commits.artifact_sha256', '=', sha256)
        .execute();
      return rows.map((row) => row.deadline);
    },
    insertArtifact: async (row) => {
      await db
        .insertInto('artifacts')
        .values(row)
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
    getArtifact: (sha256) =>
      db.selectFrom('artifacts').selectAll().where('sha256', '=', sha256).executeTakeFirst(),
  };
}
