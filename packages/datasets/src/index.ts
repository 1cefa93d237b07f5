// Public API of @tuning-arena/datasets: bundled datasets, user-file loading, per-job preparation and synthetic
// sets. Base models live in @tuning-arena/models, scoring in the validator, training in the engine.
export {
  BUNDLED_DATASETS,
  countRows,
  type DatasetListing,
  getDataset,
  listDatasets,
} from './catalog.js';
export {
  DatasetError,
  type DatasetErrorCode,
  type RowIssue,
  type RowIssueCode,
  type RowsFailure,
  type RowsFailureCode,
  rowsFailure,
} from './errors.js';
export {
  type ColumnMapping,
  DEFAULT_COLUMNS,
  decodeColumnMapping,
  type InstructColumns,
  type TextColumns,
} from './format/column-mapping.js';
export { parseCsv } from './format/csv.js';
export { encodeJsonl, parseJsonl } from './format/jsonl.js';
export {
  decodeUserDataset,
  formatFromPath,
  PROMPT_ANSWER_COLUMNS,
  readUserDataset,
  type UserDataset,
  type UserDatasetOptions,
  type UserFileFormat,
} from './format/load-user-dataset.js';
export { createJobTransform, type JobTransform, type TransformChoice } from './job/job-transform.js';
export {
  type ChatCompletionsConfig,
  createChatCompletionsRowSource,
  decodeLlmRows,
  type LlmRowRequest,
  type LlmRowSource,
} from './job/llm-rows.js';
export {
  DEFAULT_JOB_ROWS,
  DEFAULT_MAX_EXAMPLE_BYTES,
  fits,
  HELD_OUT_FRACTION,
  type JobSpec,
  type PreparedJob,
  prepareJob,
  testCount,
} from './job/prepare-job.js';
export { makeSyntheticSet, type SyntheticOptions, type SyntheticSet } from './job/synthetic.js';
export { encodeExamples, type TrainFile, writeTrainFile } from './job/train-file.js';
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
  SourceInfo,
  TextSource,
} from './source.js';
