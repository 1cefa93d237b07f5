// The trainer port: everything the miner needs from a training engine, kept narrow so the built-in
// engine, a PyTorch worker or a participant's own script can plug in. Also turns a trainer's output
// (files in memory or a directory) into bundle files; it does not pack or hash them.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ARTIFACT_FILES,
  type ArtifactKind,
  artifactFileProblems,
  type BundleFile,
  isSafeFileName,
  type PromptFormat,
  type Recipe,
} from '@tuning-arena/protocol';
import { MinerError } from './errors.js';

/** One progress report from a running trainer. */
export interface TrainProgress {
  step: number;
  trainLoss: number;
  etaSeconds: number;
}

/** What a trainer gets for one job. */
export interface TrainRequest {
  jobId: string;
  /** Directory with the base model files (config.json, model.safetensors, tokenizer.json). */
  baseModelDir: string;
  /** JSONL train split, one `{prompt, answer}` object a line (field names in `promptFormat`). */
  trainDataPath: string;
  /** How the rows are laid out. */
  promptFormat: PromptFormat;
  /** Submission deadline; a trainer should finish before it with a margin. */
  deadline: Date;
  /** Aborted when the job is cancelled or the miner stops; the trainer should stop promptly. */
  signal: AbortSignal;
  /** Scratch directory the trainer may write into (it may also return its output from here). */
  outputDir: string;
  /** Called with progress; the miner forwards it to the validator, throttled. */
  onProgress: (progress: TrainProgress) => void;
  /**
   * Optional: commits and uploads an intermediate artifact while training goes on (insurance against
   * missing the deadline; the validator counts the last commit before it). Resolves once the validator
   * answered; never rejects.
   */
  submitCheckpoint?: (output: TrainOutput) => Promise<CheckpointOutcome>;
}

/** What became of a checkpoint: committed and uploaded, or refused with a code. */
export type CheckpointOutcome = { ok: true; artifactSha256: string } | { ok: false; code: string };

/**
 * The artifact a trainer produced, as in-memory files or a directory of plain files, with an optional recipe
 * (the JSON object sent beside the strategy note so the run can be repeated; see @tuning-arena/protocol's
 * decodeRecipe for its bounds).
 */
export type TrainOutput = { kind: ArtifactKind; strategyNote: string; recipe?: Recipe } & (
  | { files: BundleFile[] }
  | { dir: string }
);

/** A training engine behind the miner. */
export interface Trainer {
  /** Short name recorded in the ledger with every submission. */
  readonly name: string;
  /** Fine-tunes the base model on the train data and returns the artifact. */
  train(request: TrainRequest): Promise<TrainOutput>;
}

/**
 * The files of a trainer's output, read from its directory when it returned one. An artifact is flat: a
 * folder, link or other non-file inside it is refused (it would not travel in the bundle), and the files
 * must be those its kind requires (ARTIFACT_FILES), so an unusable artifact is never committed.
 */
export async function outputFiles(output: TrainOutput): Promise<BundleFile[]> {
  let files: BundleFile[];
  if ('files' in output) {
    files = output.files;
  } else {
    const entries = await readdir(output.dir, { withFileTypes: true });
    const odd = entries.find((entry) => !entry.isFile());
    if (odd) {
      throw new MinerError(
        'trainer_output_invalid',
        `${odd.name} in ${output.dir} is not a plain file; an artifact is a flat set of files`,
      );
    }
    files = await Promise.all(
      entries.map(async (entry) => ({
        name: entry.name,
        data: await readFile(join(output.dir, entry.name)),
      })),
    );
  }
  if (files.length === 0) throw new MinerError('trainer_output_invalid', 'trainer returned no files');
  for (const file of files) {
    if (!isSafeFileName(file.name)) {
      throw new MinerError('trainer_output_invalid', `trainer returned an unsafe file name ${file.name}`);
    }
  }
  const { missing, unexpected } = artifactFileProblems(
    output.kind,
    files.map((file) => file.name),
  );
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(unexpected.length > 0 ? [`unexpected ${unexpected.join(', ')}`] : []),
    ];
    throw new MinerError(
      'trainer_output_invalid',
      `a ${output.kind} artifact must hold ${ARTIFACT_FILES[output.kind].required.join(' + ')}: ${parts.join('; ')}`,
    );
  }
  return files;
}
