// Red-team strategy `perturbed-copy`: takes another miner's final artifact of the same job (its owner shares
// that miner's data directory), puts relative noise on every weight and optionally re-trains a full copy a
// few steps, hoping a changed hash passes as its own work. Rule `duplicate` should zero it: its weight change
// stays near-identical to the original's, which committed first.

import { readFile } from 'node:fs/promises';
import { createRng, decodeSafetensors, encodeSafetensors } from '@tuning-arena/engine';
import type { ArtifactKind } from '@tuning-arena/protocol';
import { type BundleFile, decodeBundle, fail, ok } from '@tuning-arena/protocol';
import { createEngineTrainer } from '../engine-trainer.js';
import { MinerError } from '../errors.js';
import { readLedgerHistory } from '../ledger/read-history.js';
import type { TrainRequest } from '../trainer.js';
import { scratchDir, waitFor } from './red-team-files.js';
import type { RedTeamOptions, RedTeamStrategy } from './strategy.js';

/** Job statuses after which the source miner's last recorded submission is its final one. */
const DELIVERED = new Set(['uploading', 'uploaded', 'scored', 'closed']);

/** The source miner's final artifact of the job, once it has been committed. */
async function sharedArtifact(
  sourceDataDir: string,
  jobId: string,
): Promise<{ kind: ArtifactKind; files: BundleFile[] } | undefined> {
  const entry = (await readLedgerHistory(sourceDataDir)).find((e) => e.jobId === jobId);
  const last = entry?.submissions.at(-1);
  if (!entry?.job || !DELIVERED.has(entry.job.status) || last?.commit_status !== 'acked') return undefined;
  const files = decodeBundle(await readFile(last.artifact_path));
  if (!files.ok) throw new MinerError('trainer_failed', `shared artifact: ${files.error.code}`);
  return { kind: last.artifact_kind, files: files.value };
}

/** Multiplies every float of every safetensors file by (1 + noise · N(0, 1)). */
export function perturbFiles(files: BundleFile[], noise: number, seed: number): BundleFile[] {
  const rng = createRng(seed);
  return files.map((file) => {
    if (!file.name.endsWith('.safetensors')) return file;
    const decoded = decodeSafetensors(file.data);
    if (!decoded.ok) throw new MinerError('trainer_failed', `${file.name}: ${decoded.error.code}`);
    const tensors = [...decoded.value.tensors].map(([name, tensor]) => {
      const data = Float32Array.from(tensor.data ?? []);
      for (let i = 0; i < data.length; i++) data[i] = data[i]! * (1 + noise * rng.normal());
      return [name, { shape: tensor.shape, data }] as const;
    });
    return { name: file.name, data: encodeSafetensors(tensors, decoded.value.metadata) };
  });
}

async function retrain(request: TrainRequest, files: BundleFile[], options: RedTeamOptions) {
  const dir = await scratchDir(request, 'copy', files);
  const engine = createEngineTrainer({
    ...options.engine,
    strategy: 'full',
    maxSteps: options.retrainSteps ?? 0,
  });
  return engine.train({ ...request, baseModelDir: dir });
}

/** Another miner's artifact, lightly changed. */
export const perturbedCopyStrategy: RedTeamStrategy = {
  name: 'perturbed-copy',
  attempts:
    "submits another miner's artifact (shared by its owner) with 1e-3 noise on every weight (caught by `duplicate`)",
  create: (options) => {
    const source = options.sourceDataDir;
    if (!source)
      return fail('invalid_body', 'red:perturbed-copy needs the data directory of the miner it copies');
    return ok({
      name: 'red:perturbed-copy',
      async train(request) {
        const until = request.deadline.getTime() - 1000;
        const shared = await waitFor(request, until, "the other miner's artifact", () =>
          sharedArtifact(source, request.jobId),
        );
        const files = perturbFiles(shared.files, options.noise ?? 1e-3, options.seed ?? 7);
        if ((options.retrainSteps ?? 0) > 0 && shared.kind === 'full')
          return retrain(request, files, options);
        return { kind: shared.kind, strategyNote: 'engine fine-tune, AdamW + cosine', files };
      },
    });
  },
};
