// Fetches a job's inputs into its work dir: the train split and the base model bundle, each verified
// against the sha256 and size in `job.start`, the bundle unpacked into `base/`. Files reach their final
// name only after their hash checked out, so a file already present is a verified one and is reused.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBundle, type FileRef, type JobStart } from '@tuning-arena/protocol';
import { MinerError } from './errors.js';

/** Downloads one file with the current session token (retries are the caller's business). */
type Download = (ref: FileRef, path: string) => Promise<void>;

/** Where the inputs of a job lie once fetched. */
interface JobInputs {
  trainDataPath: string;
  baseModelDir: string;
}

/** Fetches (or reuses) the train data and base model of `start` into `workDir`. */
export async function fetchJobInputs(
  start: JobStart,
  workDir: string,
  download: Download,
): Promise<JobInputs> {
  const trainDataPath = join(workDir, 'train.jsonl');
  const bundlePath = join(workDir, 'base-model.bundle');
  const baseModelDir = join(workDir, 'base');
  if (!existsSync(trainDataPath)) await download(start.trainData, trainDataPath);
  if (!existsSync(bundlePath)) await download(start.baseModel, bundlePath);
  const decoded = decodeBundle(await readFile(bundlePath));
  if (!decoded.ok) throw new MinerError('invalid_bundle', decoded.error.message, decoded.error);
  await mkdir(baseModelDir, { recursive: true });
  for (const file of decoded.value) await writeFile(join(baseModelDir, file.name), file.data);
  return { trainDataPath, baseModelDir };
}
