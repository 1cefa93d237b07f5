// The validator's configuration: what `createValidator` accepts, its defaults, and the resolved form the
// composition uses. Parsing flags and environment variables lives in cli-config.ts, not here.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Limits, resolveLimits } from './limits.js';
import { createLogger, type Logger } from './logger.js';
import { createValidatorMetrics, type ValidatorMetrics } from './metrics/validator-metrics.js';
import type { Evaluator } from './ports/evaluator.js';
import type { JobDataPreparer } from './ports/job-data-preparer.js';
import type { ModelCatalog } from './ports/model-catalog.js';
import { createTimers, type Timers } from './scheduler/timers.js';

/** Options of `createValidator`; only `dataDir` and `operatorToken` are required. */
export interface ValidatorConfig {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on; 0 picks a free one (default 0). */
  port?: number;
  /** Directory for the database, artifacts, per-job data and model bundle cache. */
  dataDir: string;
  /** SQLite file (default `<dataDir>/validator.sqlite`). */
  dbPath?: string;
  /** Bearer token of the operator API. */
  operatorToken: string;
  /** Directory of HF-style model dirs for the file catalog (default `<dataDir>/models`). */
  modelsDir?: string;
  /** Directory of operator dataset files (`<name>.jsonl|.csv|.tsv`) used beside the bundled datasets (default `<dataDir>/datasets`). */
  datasetDir?: string;
  /** Replaces the file-backed model catalog. */
  modelCatalog?: ModelCatalog;
  /** Replaces the JSONL data preparer. */
  dataPreparer?: JobDataPreparer;
  /** Replaces the judge's evaluation queue as the scheduler's hand-off (tests). */
  evaluator?: Evaluator;
  /** The evaluation pool: loops (engine worker threads), lease and attempts per model. */
  evaluation?: Partial<EvaluationSettings>;
  /** Offer lifetime when a job does not set one (default 30 s). */
  offerTtlSeconds?: number;
  /** Heartbeat interval told to miners; silence for 3 intervals drops a connection (default 15 000 ms). */
  heartbeatIntervalMs?: number;
  /** How long after the deadline committed artifacts may still be uploaded (default 60 s). */
  uploadGraceSeconds?: number;
  /** Largest artifact upload in bytes (default 512 MiB). */
  maxArtifactBytes?: number;
  /** Defensive limits on untrusted input (limits.ts); unset ones take their defaults. */
  limits?: Partial<Limits>;
  /** Structured logger (default: JSON lines on stderr, level info). */
  logger?: Logger;
  /** `GET /metrics` beyond the main port (where it needs the operator token). */
  metrics?: MetricsSettings;
  /** Clock in ms since the epoch (default Date.now). */
  now?: () => number;
  /** Timers on that clock: offers, deadlines, windows and programs (default real timers; tests pass a manual clock's). */
  createTimers?: () => Timers;
}

/** How the evaluation pool runs. */
interface EvaluationSettings {
  /** Evaluation loops, each with its own engine worker thread (default availableParallelism() - 1, at least 1). */
  poolSize: number;
  /** How long a claimed evaluation is held before another loop may take it over (default 60 s; renewed). */
  leaseMs: number;
  /** Attempts at one model before it fails the `format` rule instead of blocking its job (default 3). */
  maxAttempts: number;
}

/** Where else `GET /metrics` is served, and what it includes. */
interface MetricsSettings {
  /** Port of a separate metrics address that answers without a token (unset: none; 0 = any free port). */
  port?: number;
  /** Interface of that address (default 127.0.0.1). */
  host?: string;
  /** Also prom-client's process metrics (CPU, memory, event loop lag); the CLI turns them on (default off). */
  process?: boolean;
}

/** A configuration with every default applied. */
export interface ResolvedConfig {
  host: string;
  port: number;
  dataDir: string;
  /** Per-job files: train/test splits, the data spec and the pinned base model (`<dataDir>/jobs`). */
  jobsDir: string;
  dbPath: string;
  operatorToken: string;
  modelsDir: string;
  datasetDir: string;
  offerTtlSeconds: number;
  heartbeatIntervalMs: number;
  uploadGraceSeconds: number;
  maxArtifactBytes: number;
  limits: Limits;
  evaluation: EvaluationSettings;
  logger: Logger;
  /** This validator's metrics (counters bumped by the services, gauges read at scrape time). */
  metrics: ValidatorMetrics;
  /** The separate metrics address, if the operator asked for one. */
  metricsListen: { host: string; port: number } | undefined;
  now: () => number;
  createTimers: () => Timers;
}

/** Default values of the optional settings. */
const CONFIG_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  offerTtlSeconds: 30,
  heartbeatIntervalMs: 15_000,
  uploadGraceSeconds: 60,
  maxArtifactBytes: 512 * 1024 * 1024,
} as const;

/** Applies defaults. */
export function resolveConfig(config: ValidatorConfig): ResolvedConfig {
  return {
    host: config.host ?? CONFIG_DEFAULTS.host,
    port: config.port ?? CONFIG_DEFAULTS.port,
    dataDir: config.dataDir,
    jobsDir: join(config.dataDir, 'jobs'),
    dbPath: config.dbPath ?? join(config.dataDir, 'validator.sqlite'),
    operatorToken: config.operatorToken,
    modelsDir: config.modelsDir ?? join(config.dataDir, 'models'),
    datasetDir: config.datasetDir ?? join(config.dataDir, 'datasets'),
    offerTtlSeconds: config.offerTtlSeconds ?? CONFIG_DEFAULTS.offerTtlSeconds,
    heartbeatIntervalMs: config.heartbeatIntervalMs ?? CONFIG_DEFAULTS.heartbeatIntervalMs,
    uploadGraceSeconds: config.uploadGraceSeconds ?? CONFIG_DEFAULTS.uploadGraceSeconds,
    maxArtifactBytes: config.maxArtifactBytes ?? CONFIG_DEFAULTS.maxArtifactBytes,
    limits: resolveLimits(config.limits),
    evaluation: {
      poolSize: config.evaluation?.poolSize ?? Math.max(1, availableParallelism() - 1),
      leaseMs: config.evaluation?.leaseMs ?? 60_000,
      maxAttempts: config.evaluation?.maxAttempts ?? 3,
    },
    logger: config.logger ?? createLogger(),
    metrics: createValidatorMetrics({ process: config.metrics?.process ?? false }),
    metricsListen:
      config.metrics?.port === undefined
        ? undefined
        : { host: config.metrics.host ?? CONFIG_DEFAULTS.host, port: config.metrics.port },
    now: config.now ?? Date.now,
    createTimers: config.createTimers ?? (() => createTimers(config.now ?? Date.now)),
  };
}
