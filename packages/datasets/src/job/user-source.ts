// Turns a decoded user dataset into a DatasetSource, so operators' own files go through the same job pipeline.
// The rows are held in memory as decoded; nothing is re-read from disk.
import type { UserDataset } from '../format/load-user-dataset.js';
import type { DatasetSource } from '../source.js';

/** A dataset source over a user's decoded file; `origin` (e.g. the file path) is shown as its source. */
export function createUserSource(
  name: string,
  dataset: UserDataset,
  origin: string,
  license = 'user-supplied',
): DatasetSource {
  const info = { name, source: origin, license, description: `user dataset from ${origin}` };
  if (dataset.kind === 'text') return { ...info, kind: 'text', documents: () => dataset.documents };
  return { ...info, kind: 'instruct', rows: () => dataset.rows };
}
