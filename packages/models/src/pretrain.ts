// Pretrains a named base model on bundled corpora with the engine, deterministically for its seed, and caches
// it as an HF-style directory pinned by the sha256 of its weights. Fine-tuning and scoring live elsewhere.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BYTE_TOKENIZER,
  countParameters,
  createModel,
  createModelConfig,
  evaluate,
  type GptModel,
  saveModelDir,
  type TrainProgress,
  train,
} from '@tuning-arena/engine';
import { type BaseModelSpec, getBaseModelSpec } from './base-models.js';
import { BASE_MANIFEST, type BaseModelInfo, hashWeights, locateBaseModel } from './model-store.js';
import { defaultModelsDir } from './models-dir.js';
import { buildPretrainCorpus } from './pretrain-corpus.js';

/** Options of `pretrainBaseModel`. */
interface PretrainOptions {
  readonly modelsDir?: string;
  /** Retrain even when a verified copy is cached. */
  readonly force?: boolean;
  readonly onProgress?: (progress: TrainProgress) => void;
  readonly signal?: AbortSignal;
}

/** Pretrains (or finds cached) the base model named or described by `spec`; returns its pinned info. */
export async function pretrainBaseModel(
  spec: string | BaseModelSpec,
  options: PretrainOptions = {},
): Promise<BaseModelInfo> {
  const resolved = typeof spec === 'string' ? getBaseModelSpec(spec) : spec;
  const modelsDir = defaultModelsDir(options.modelsDir);
  if (!options.force) {
    const cached = await locateBaseModel(resolved.name, modelsDir).catch(() => undefined);
    if (cached !== undefined) return cached;
  }
  const config = createModelConfig({ preset: resolved.preset, ...resolved.overrides });
  const tokensWanted = resolved.steps * resolved.batchSize * config.nPositions;
  const corpus = buildPretrainCorpus(resolved.corpus, resolved.seed, Math.ceil(tokensWanted * 1.05));
  const initial = createModel(config, { seed: resolved.seed });
  const randomInitLoss = evaluate(initial, { text: corpus.heldOut }).meanLoss;
  const started = Date.now();
  const result = await train(
    initial,
    { text: corpus.train },
    {
      maxSteps: resolved.steps,
      batchSize: resolved.batchSize,
      learningRate: resolved.learningRate,
      seed: resolved.seed,
      validation: { text: corpus.validation },
      ...(options.onProgress && { onProgress: options.onProgress }),
      ...(options.signal && { signal: options.signal }),
    },
  );
  const trainSeconds = (Date.now() - started) / 1000;
  const heldOutLoss = evaluate(result.model, { text: corpus.heldOut }).meanLoss;
  return saveBase(modelsDir, resolved, result.model, {
    params: countParameters(config),
    corpus: resolved.corpus.join('+'),
    heldOutLoss,
    randomInitLoss,
    tokensSeen: result.steps * resolved.batchSize * config.nPositions,
    trainSeconds: Math.round(trainSeconds * 10) / 10,
  });
}

async function saveBase(
  modelsDir: string,
  spec: BaseModelSpec,
  model: GptModel,
  facts: Pick<
    BaseModelInfo,
    'params' | 'corpus' | 'heldOutLoss' | 'randomInitLoss' | 'tokensSeen' | 'trainSeconds'
  >,
): Promise<BaseModelInfo> {
  const dir = join(modelsDir, spec.name);
  // Write beside the final place and rename, so a crash never leaves a half-written model that looks valid.
  const staging = join(modelsDir, `.${spec.name}.${randomBytes(4).toString('hex')}.tmp`);
  await mkdir(modelsDir, { recursive: true });
  // The folder name is the model's name: adapters trained on it record it as base_model_name_or_path.
  await saveModelDir(staging, model, BYTE_TOKENIZER, spec.name);
  const manifest: Omit<BaseModelInfo, 'dir'> = {
    name: spec.name,
    params: facts.params,
    sha256: await hashWeights(staging),
    corpus: facts.corpus,
    heldOutLoss: facts.heldOutLoss,
    randomInitLoss: facts.randomInitLoss,
    preset: spec.preset,
    seed: spec.seed,
    steps: spec.steps,
    tokensSeen: facts.tokensSeen,
    trainSeconds: facts.trainSeconds,
  };
  await writeFile(join(staging, BASE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  try {
    await rename(staging, dir);
  } catch (error) {
    // Another process finished the same model first: keep its verified copy.
    const other = await locateBaseModel(spec.name, modelsDir).catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
    if (other === undefined) throw error;
    return other;
  }
  return { ...manifest, dir };
}
