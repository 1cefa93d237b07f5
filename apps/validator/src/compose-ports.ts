// Picks the port implementations of a configuration: the given ones, or the file-backed model catalog and
// the datasets-package preparer over the configured directories. The evaluator is the judge's durable queue
// (compose.ts) unless a configuration replaces it.

import { join } from 'node:path';
import type { ResolvedConfig, ValidatorConfig } from './config.js';
import { createDatasetsPreparer } from './ports/datasets-preparer.js';
import type { Evaluator } from './ports/evaluator.js';
import { createFileModelCatalog } from './ports/file-model-catalog.js';
import type { JobDataPreparer } from './ports/job-data-preparer.js';
import type { ModelCatalog } from './ports/model-catalog.js';

/** The three ports the validator runs on. */
export interface ConfigPorts {
  catalog: ModelCatalog;
  preparer: JobDataPreparer;
  /** Replaces the built-in judge's queue (tests). */
  evaluator: Evaluator | undefined;
}

/** The configured ports, defaulting to the file-backed implementations. */
export function portsFor(config: ValidatorConfig, resolved: ResolvedConfig): ConfigPorts {
  return {
    catalog:
      config.modelCatalog ??
      createFileModelCatalog({
        modelsDir: resolved.modelsDir,
        cacheDir: join(resolved.dataDir, 'model-bundles'),
      }),
    preparer:
      config.dataPreparer ??
      createDatasetsPreparer({ datasetDir: resolved.datasetDir, jobsDir: resolved.jobsDir }),
    evaluator: config.evaluator,
  };
}
