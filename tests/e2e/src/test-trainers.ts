// Trainers for the end-to-end tests ONLY: they produce a valid artifact bundle without the engine by
// copying the base model files with a small state in config.json, so tests exercise the whole job flow fast.
// They do not train anything, and the miner's CLI never offers them.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Trainer, TrainRequest } from '@tuning-arena/miner';
import type { BundleFile } from '@tuning-arena/protocol';

/** A promise the test resolves when it is ready. */
export interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

/** Creates a closed gate. */
export function createGate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** How a copy-base trainer behaves per job. */
export interface CopyBaseTrainerOptions {
  /** Makes artifacts of different miners differ. */
  salt: string;
  /** A gate to wait at before returning the final artifact of a job (undefined: return at once). */
  holdFor?: (jobId: string) => Promise<Gate | undefined>;
  /** Whether to commit a checkpoint before waiting at the gate. */
  checkpointFor?: (jobId: string) => Promise<boolean>;
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

async function copyBase(request: TrainRequest, salt: string, stage: string): Promise<BundleFile[]> {
  const names = await readdir(request.baseModelDir);
  const files = await Promise.all(
    names.map(async (name) => ({ name, data: await readFile(join(request.baseModelDir, name)) })),
  );
  const rows = (await readFile(request.trainDataPath, 'utf8')).trim().split('\n').length;
  // A full artifact holds only the files its kind allows: the state that makes artifacts of different
  // miners, jobs and stages differ goes into config.json as an extra key.
  const state = { trainer: 'copy-base', jobId: request.jobId, rows, salt, stage };
  return files.map((file) =>
    file.name === 'config.json'
      ? {
          name: file.name,
          data: Buffer.from(
            JSON.stringify({
              ...JSON.parse(Buffer.from(file.data).toString('utf8')),
              arena_test_state: state,
            }),
          ),
        }
      : file,
  );
}

/** A copy-base trainer, with the ids of the jobs it was asked to train, in order. */
export type CopyBaseTrainer = Trainer & { calls: string[] };

/** A test-only trainer that copies the base model (plus a state file) into a full-weights artifact. */
export function createCopyBaseTrainer(options: CopyBaseTrainerOptions): CopyBaseTrainer {
  const calls: string[] = [];
  return {
    name: 'copy-base (test only)',
    calls,
    async train(request) {
      calls.push(request.jobId);
      request.onProgress({ step: 1, trainLoss: 1.5, etaSeconds: 0 });
      if (await options.checkpointFor?.(request.jobId)) {
        const files = await copyBase(request, options.salt, 'checkpoint');
        await request.submitCheckpoint?.({ kind: 'full', strategyNote: 'copy-base checkpoint', files });
      }
      const gate = await options.holdFor?.(request.jobId);
      if (gate) await Promise.race([gate.promise, untilAborted(request.signal)]);
      const files = await copyBase(request, options.salt, 'final');
      return { kind: 'full', strategyNote: `copy-base test trainer (${options.salt})`, files };
    },
  };
}
