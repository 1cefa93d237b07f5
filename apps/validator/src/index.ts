// Public surface of the validator app: `createValidator`, its configuration, the three ports (model
// catalog, job data preparer, evaluator) with their file-backed defaults, and the logger. Internals stay private.

export type { CompetitionView, JobView, MinerView, SubmissionView } from '@tuning-arena/protocol';
export { parseCliConfig, USAGE } from './cli-config.js';
export { type ResolvedConfig, resolveConfig, type ValidatorConfig } from './config.js';
export { ValidatorError } from './errors.js';
export { createLogger, type Logger, type LoggerOptions, type LogLevel, silentLogger } from './logger.js';
export {
  createDatasetsPreparer,
  type DatasetsPreparerOptions,
} from './ports/datasets-preparer.js';
export type { Evaluator } from './ports/evaluator.js';
export {
  createFileModelCatalog,
  MODEL_FILES,
} from './ports/file-model-catalog.js';
export type { JobDataPreparer, PreparedJobData, PrepareRequest } from './ports/job-data-preparer.js';
export type { BundleSource, ModelCatalog, ModelInfo, ResolvedModel } from './ports/model-catalog.js';
export { createValidator, type ListeningAddress, type Validator } from './validator.js';
