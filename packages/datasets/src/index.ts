// Public API of @tuning-arena/datasets: bundled datasets, user-file loading, per-job preparation and synthetic
// sets. Base models live in @tuning-arena/models, scoring in the validator, training in the engine.
export {
  BUNDLED_DATASETS,
  countRows,
  getDataset,
  listDatasets,
} from './catalog.js';
export {
  DatasetError,
  type RowIssue,
  type RowsFailure,
  rowsFailure,
} from './errors.js';
export {
  type ColumnMapping,
  DEFAULT_COLUMNS,
  decodeColumnMapping,
  type InstructColumns,
} from './format/column-mapping.js';
export { parseCsv } from './format/csv.js';
export { encodeJsonl, parseJsonl } from './format/jsonl.js';
export {
  decodeUserDataset,
  readUserDataset,
  type UserDataset,
} from './format/load-user-dataset.js';
export { createJobTransform, type JobTransform } from './job/job-transform.js';
export {
  createChatCompletionsRowSource,
  decodeLlmRows,
  type LlmRowSource,
} from './job/llm-rows.js';
export {
  fits,
  type PreparedJob,
  prepareJob,
  testCount,
} from './job/prepare-job.js';
export { makeSyntheticSet } from './job/synthetic.js';
export { encodeExamples, writeTrainFile } from './job/train-file.js';
export { createUserSource } from './job/user-source.js';
export { PROMPT_TEMPLATES } from './job/wordings.js';
export { createSeededRng, type SeededRng } from './rng.js';
export { byteLength, type Example, type InstructRow, rowKey } from './rows.js';
export type {
  DatasetKind,
  DatasetSource,
  InstructionVariants,
  InstructSource,
  ProceduralSource,
  TextSource,
} from './source.js';
