// Messages between the worker trainer (main thread) and its worker entry; structured-clone safe.
// Weights travel as Float32Array buffers (transferred, not copied); callbacks and signals stay on the
// main side and are replaced by progress and cancel messages.

import type { ModelConfig } from '../config.js';
import type { Dataset } from '../data.js';
import type { EngineErrorCode } from '../errors.js';
import type { EvaluateOptions, EvaluationResult } from '../evaluate.js';
import type { KernelBackend } from '../kernels/types.js';
import type { LoraConfig } from '../lora.js';
import type { TrainOptions, TrainProgress, TrainResult } from '../train/trainer.js';

/** Train options that can cross a thread boundary (no kernels, callbacks, signal or clock). */
export type WorkerTrainOptions = Omit<
  TrainOptions,
  'kernels' | 'onProgress' | 'onCheckpoint' | 'signal' | 'now' | 'initialAdapter' | 'tokenizer'
>;

/** Evaluate options that can cross a thread boundary. */
export type WorkerEvaluateOptions = Omit<EvaluateOptions, 'kernels' | 'adapter' | 'tokenizer'>;

/** Weights of a LoRA adapter in transit. */
interface AdapterPayload {
  readonly config: LoraConfig;
  readonly data: Float32Array;
}

/** Main thread to worker. */
export type ToWorker =
  | {
      type: 'train';
      config: ModelConfig;
      weights: Float32Array;
      data: Dataset;
      options: WorkerTrainOptions;
      initialAdapter?: AdapterPayload;
      backend?: KernelBackend;
    }
  | {
      type: 'evaluate';
      config: ModelConfig;
      weights: Float32Array;
      data: Dataset;
      options: WorkerEvaluateOptions;
      adapter?: AdapterPayload;
      backend?: KernelBackend;
    }
  | { type: 'cancel' };

/** Worker to main thread. */
export type FromWorker =
  | { type: 'progress'; progress: TrainProgress }
  | {
      type: 'checkpoint';
      step: number;
      validationLoss: number;
      weights?: Float32Array;
      adapter?: AdapterPayload;
    }
  | {
      type: 'trained';
      result: Omit<TrainResult, 'model' | 'adapter'>;
      weights?: Float32Array;
      adapter?: AdapterPayload;
    }
  | { type: 'evaluated'; result: EvaluationResult }
  | { type: 'error'; code: EngineErrorCode | 'internal'; message: string };
