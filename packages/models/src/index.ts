// Public API of @tuning-arena/models: the catalogue of base models, deterministic pretraining on the
// bundled corpora, the on-disk model store that pins each base by the sha256 of its weights, and a short
// fine-tune check. Datasets come from @tuning-arena/datasets, training from @tuning-arena/engine.

export { BASE_MODELS, type BaseModelSpec, getBaseModelSpec } from './base-models.js';
export { ModelError } from './errors.js';
export {
  BASE_MANIFEST,
  type BaseModelInfo,
  hashWeights,
  listBaseModels,
  locateBaseModel,
} from './model-store.js';
export { defaultModelsDir } from './models-dir.js';
export { pretrainBaseModel } from './pretrain.js';
export { buildPretrainCorpus } from './pretrain-corpus.js';
