// The upload windows of one artifact for one miner: every job the miner committed the hash for, with the
// job's deadline. Read-only; the artifact service decides which windows are still open.

import type { Db } from './open-db.js';

/** A job a miner committed an artifact for, and that job's deadline (null while not started). */
export interface UploadWindow {
  jobId: string;
  deadline: string | null;
}

/** Reads upload windows. */
export interface UploadWindowsRepo {
  /** The jobs `minerId` committed `sha256` for. */
  forArtifact(minerId: string, sha256: string): Promise<UploadWindow[]>;
}

/** Creates the upload windows repository. */
export function createUploadWindowsRepo(db: Db): UploadWindowsRepo {
  return {
    forArtifact: async (minerId, sha256) => {
      const rows = await db
        .selectFrom('commits')
        .innerJoin('jobs', 'jobs.id', 'commits.job_id')
        .select(['jobs.id as jobId', 'jobs.deadline as deadline'])
        .distinct()
        .where('commits.miner_id', '=', minerId)
        .where('commits.artifact_sha256', '=', sha256)
        .execute();
      return rows;
    },
  };
}
