// The job's pinned base model and the other known bases, loaded from the validator's own model directories
// (trusted files, but still read through the engine's bounded loader). Identity travels with the weights so
// facts and sketches are keyed by the base's weights sha256. It does not resolve ids to directories.

import { type GptModel, loadModelDir, type ModelConfig, type Tokenizer } from '@tuning-arena/engine';

/** Where a base model lives and what pins it (serialisable: it crosses into the worker). */
export interface BaseRef {
  modelId: string;
  /** sha256 of its model.safetensors. */
  weightsSha256: string;
  /** Its model directory (config.json, model.safetensors, tokenizer.json). */
  dir: string;
}

/** A loaded base model. */
export interface BaseModel {
  modelId: string;
  weightsSha256: string;
  model: GptModel;
  tokenizer: Tokenizer;
}

/** Loads a base model directory; throws EngineError('invalid_file') when it is malformed. */
export async function loadBaseModel(ref: BaseRef): Promise<BaseModel> {
  const { model, tokenizer } = await loadModelDir(ref.dir);
  return { modelId: ref.modelId, weightsSha256: ref.weightsSha256, model, tokenizer };
}

const CONFIG_KEYS = [
  'vocabSize',
  'nPositions',
  'nEmbd',
  'nLayer',
  'nHead',
  'layerNormEpsilon',
  'bosTokenId',
  'eosTokenId',
  'padTokenId',
] as const satisfies readonly (keyof ModelConfig)[];

/** The fields where two configs differ (empty when the architecture is the same). */
export function configDifferences(a: ModelConfig, b: ModelConfig): string[] {
  return CONFIG_KEYS.filter((key) => a[key] !== b[key]).map((key) => `${key}: ${a[key]} != ${b[key]}`);
}
