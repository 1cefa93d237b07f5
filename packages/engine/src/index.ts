// Public API of @tuning-arena/engine: GPT-2 models, byte tokenizer, HF/PEFT files, training, evaluation.
// Everything else in src/ is internal; kernels are exported only as the interface and factory.

export { adapterDelta, cosineSimilarity, modelDelta, modelDistance } from './compare.js';
export type { ModelConfig, ModelPreset } from './config.js';
export { countParameters, createModelConfig, decodeHfConfig, MODEL_PRESETS, toHfConfig } from './config.js';
export type { Dataset, Example } from './data.js';
export { encodeExample } from './data.js';
export type { EngineErrorCode, FileResult } from './errors.js';
export { EngineError } from './errors.js';
export type { EvaluateOptions, EvaluationResult } from './evaluate.js';
export { evaluate } from './evaluate.js';
export { generate } from './generate.js';
export {
  type AdapterBase,
  decodeAdapterFiles,
  decodePeftConfig,
  encodeAdapterFiles,
  saveAdapterDir,
  toPeftConfig,
} from './io/adapter-files.js';
export {
  decodeModelFiles,
  encodeModelFiles,
  loadModelDir,
  MODEL_FILES,
  saveModelDir,
} from './io/model-files.js';
export type { SafeTensor, SafetensorsLimits } from './io/safetensors.js';
export { decodeSafetensors, encodeSafetensors } from './io/safetensors.js';
export type { SafetensorsHeader, TensorEntry } from './io/safetensors-header.js';
export {
  countTensorElements,
  decodeSafetensorsHeader,
  readSafetensorsHeader,
} from './io/safetensors-header.js';
export { decodeTokenizerJson, toTokenizerJson } from './io/tokenizer-json.js';
export { createKernels } from './kernels/create-kernels.js';
export type {
  CreateKernelsOptions,
  FusedKernels,
  KernelBackend,
  Kernels,
  MatmulOptions,
  MatmulTriangle,
} from './kernels/types.js';
export type { LoraAdapter, LoraConfig, LoraSite } from './lora.js';
export {
  adapterFromWeights,
  createLoraAdapter,
  DEFAULT_LORA_CONFIG,
  loraSites,
  mergeAdapter,
} from './lora.js';
export type { GptModel } from './model.js';
export { cloneModel, createModel, modelFromWeights } from './model.js';
export type { ParamSet } from './params.js';
export { createRng, deriveSeed, type Rng } from './rng.js';
export type { Tokenizer } from './tokenizer.js';
export { BYTE_TOKENIZER } from './tokenizer.js';
export type { TrainCheckpoint, TrainOptions, TrainProgress, TrainResult } from './train/trainer.js';
export { train } from './train/trainer.js';
export { evaluateInWorker, trainInWorker } from './worker/worker-trainer.js';
