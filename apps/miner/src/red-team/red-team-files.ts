// Shared pieces of the red-team strategies: full-weight artifact files from a model, the base model's
// files as a cheat resubmits them, a scratch file beside the job's output folder, and waiting for
// something to appear before the deadline. No strategy logic.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeModelFiles, type GptModel, MODEL_FILES, type Tokenizer } from '@tuning-arena/engine';
import type { BundleFile } from '@tuning-arena/protocol';
import { MinerError } from '../errors.js';
import type { TrainRequest } from '../trainer.js';

/** The files of a full-weights artifact of `model`, named `name` in config.json. */
export function fullModelFiles(model: GptModel, tokenizer?: Tokenizer, name?: string): BundleFile[] {
  const files = encodeModelFiles(model, tokenizer, name);
  return [
    { name: MODEL_FILES.config, data: files.config },
    { name: MODEL_FILES.weights, data: files.weights },
    { name: MODEL_FILES.tokenizer, data: files.tokenizer },
  ];
}

/** The files of a model directory that a full artifact holds, byte for byte. */
export async function modelDirFiles(dir: string): Promise<BundleFile[]> {
  const names = [MODEL_FILES.config, MODEL_FILES.weights, MODEL_FILES.tokenizer];
  return Promise.all(names.map(async (name) => ({ name, data: await readFile(join(dir, name)) })));
}

/** Writes `text` to a scratch file beside the job's output folder (never inside it) and returns its path. */
export async function scratchFile(request: TrainRequest, name: string, text: string): Promise<string> {
  const path = join(dirname(request.outputDir), `red-team-${name}`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

/** Writes `files` into a fresh scratch folder beside the job's output folder and returns its path. */
export async function scratchDir(request: TrainRequest, name: string, files: BundleFile[]): Promise<string> {
  const dir = join(dirname(request.outputDir), `red-team-${name}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await Promise.all(files.map((file) => writeFile(join(dir, file.name), file.data)));
  return dir;
}

/** Polls `probe` every `intervalMs` until it yields a value; fails at `until` or when the job is aborted. */
export async function waitFor<T>(
  request: Pick<TrainRequest, 'signal'>,
  until: number,
  what: string,
  probe: () => Promise<T | undefined>,
  intervalMs = 250,
): Promise<T> {
  for (;;) {
    if (request.signal.aborted) throw new MinerError('aborted', `stopped waiting for ${what}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() >= until) throw new MinerError('trainer_failed', `${what} did not appear in time`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
