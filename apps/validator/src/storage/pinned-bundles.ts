// Per-job copies of the base model bundle, pinned when the job is created: a model directory that is
// re-pretrained or replaced later cannot change what a running job serves (or what its evaluation and
// lineage checks compare against). Files live at `<jobsDir>/<jobId>/base-model.bundle`.

import { copyFile, link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newToken } from '../ids.js';
import type { BundleSource } from '../ports/model-catalog.js';

/** Where a job's pinned base model bundle is stored. */
export interface BundlePins {
  /** Stores the job's copy of the bundle (a hard link when the source is a file on the same disk). */
  pin(jobId: string, source: BundleSource): Promise<void>;
  /** Path of a job's pinned bundle. */
  path(jobId: string): string;
}

/** Creates bundle pins under a jobs directory. */
export function createBundlePins(jobsDir: string): BundlePins {
  const path = (jobId: string) => join(jobsDir, jobId, 'base-model.bundle');
  return {
    path,
    pin: async (jobId, source) => {
      const target = path(jobId);
      await mkdir(join(jobsDir, jobId), { recursive: true });
      // A unique temp name, so two pins of one job never write or rename each other's temp file.
      const temp = `${target}.${newToken()}.tmp`;
      try {
        if (source.kind === 'bytes') await writeFile(temp, source.bytes);
        else await link(source.path, temp).catch(() => copyFile(source.path, temp));
        await rename(temp, target);
      } finally {
        // Also after a successful rename: renaming a hard link onto another link of the same file is a
        // no-op that leaves the temp name behind (POSIX rename).
        await rm(temp, { force: true });
      }
    },
  };
}
