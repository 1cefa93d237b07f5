// Writes a job's train split as the JSONL file miners download, and pins it by sha256.
// Test and synthetic rows are never written here: they stay in the validator's memory and database.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '@tuning-arena/protocol';
import { encodeJsonl } from '../format/jsonl.js';
import type { Example } from '../rows.js';
import type { PreparedJob } from './prepare-job.js';

/** The written train split. */
interface TrainFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly rows: number;
}

/** JSONL text of examples: one `{"prompt","answer"}` object per line. */
export function encodeExamples(examples: readonly Example[]): string {
  return encodeJsonl(examples.map(({ prompt, answer }) => ({ prompt, answer })));
}

/** Writes `train.jsonl` (or `fileName`) into `dir` and returns its path, sha256 and size. */
export async function writeTrainFile(
  job: PreparedJob,
  dir: string,
  fileName = 'train.jsonl',
): Promise<TrainFile> {
  const text = encodeExamples(job.train);
  const bytes = Buffer.from(text, 'utf8');
  await mkdir(dir, { recursive: true });
  const path = join(dir, fileName);
  await writeFile(path, bytes);
  return { path, sha256: sha256Hex(bytes), bytes: bytes.length, rows: job.train.length };
}
