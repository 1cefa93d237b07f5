// Runs train/evaluate in a node:worker_threads worker so the caller's event loop stays responsive.
// The in-process trainer is the core; this is a thin wrapper. Workers load compiled JavaScript only
// (Node 20 cannot load .ts), so the entry is always dist/worker/engine-worker.js: from dist that is the
// sibling file; when this module runs from src/ (vitest), it points at the package's dist/ and the
// worker tests build the package first (CI builds before testing anyway).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Dataset } from '../data.js';
import { EngineError } from '../errors.js';
import type { EvaluationResult } from '../evaluate.js';
import type { KernelBackend } from '../kernels/types.js';
import { adapterFromWeights, type LoraAdapter } from '../lora.js';
import { type GptModel, modelFromWeights } from '../model.js';
import type { TrainCheckpoint, TrainProgress, TrainResult } from '../train/trainer.js';
import type { FromWorker, ToWorker, WorkerEvaluateOptions, WorkerTrainOptions } from './messages.js';

/** How long a cancelled worker may take to stop on its own before it is terminated. */
const CANCEL_GRACE_MS = 2000;

/** Options of `trainInWorker`: serialisable train options plus main-thread callbacks. */
interface WorkerTrainCallOptions extends WorkerTrainOptions {
  readonly initialAdapter?: LoraAdapter;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Receives each new best checkpoint (see TrainOptions.onCheckpoint). */
  readonly onCheckpoint?: (checkpoint: TrainCheckpoint) => void;
  readonly signal?: AbortSignal;
  /** Kernel backend inside the worker (default: WASM SIMD when built). */
  readonly backend?: KernelBackend;
}

/** Options of `evaluateInWorker`. */
interface WorkerEvaluateCallOptions extends WorkerEvaluateOptions {
  readonly adapter?: LoraAdapter | null;
  readonly backend?: KernelBackend;
}

/** Path of the compiled worker entry (dist/worker/engine-worker.js). */
function workerEntryPath(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts')
    ? new URL('../../dist/worker/engine-worker.js', here)
    : new URL('./engine-worker.js', here);
  return fileURLToPath(url);
}

function run<T>(
  message: ToWorker,
  transfer: ArrayBuffer[],
  onMessage: (m: FromWorker) => T | undefined,
  signal?: AbortSignal,
): Promise<T> {
  const entry = workerEntryPath();
  if (!existsSync(entry)) {
    return Promise.reject(
      new EngineError(
        'worker_failed',
        `worker entry ${entry} is missing: run \`pnpm --filter @tuning-arena/engine build\``,
      ),
    );
  }
  if (signal?.aborted)
    return Promise.reject(new EngineError('aborted', 'cancelled before start', { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(entry);
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(grace);
      void worker.terminate();
      fn();
    };
    // Ask the worker to stop between steps; a step can be long (large presets), so after a grace period the
    // worker is terminated instead.
    let grace: NodeJS.Timeout | undefined;
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      grace = setTimeout(
        () => finish(() => reject(new EngineError('aborted', 'cancelled', { cause: signal?.reason }))),
        CANCEL_GRACE_MS,
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'error') {
        finish(() => reject(new EngineError(m.code === 'internal' ? 'worker_failed' : m.code, m.message)));
        return;
      }
      try {
        const value = onMessage(m);
        if (value !== undefined) finish(() => resolve(value));
      } catch (e) {
        finish(() => reject(e));
      }
    });
    worker.on('error', (e) =>
      finish(() => reject(new EngineError('worker_failed', e.message, { cause: e }))),
    );
    worker.on('exit', (code) =>
      finish(() => reject(new EngineError('worker_failed', `worker exited with ${code}`))),
    );
    worker.postMessage(message, transfer);
  });
}

/** Like `train`, but in a worker thread; `signal` cancels it (rejects with code 'aborted'). */
export function trainInWorker(
  base: GptModel,
  data: Dataset,
  options: WorkerTrainCallOptions = {},
): Promise<TrainResult> {
  const { onProgress, onCheckpoint, signal, backend, initialAdapter, ...rest } = options;
  const weights = base.params.data.slice();
  const adapterData = initialAdapter?.params.data.slice();
  const message: ToWorker = {
    type: 'train',
    config: base.config,
    weights,
    data,
    options: rest,
    ...(backend === undefined ? {} : { backend }),
    ...(initialAdapter && adapterData
      ? { initialAdapter: { config: initialAdapter.config, data: adapterData } }
      : {}),
  };
  const transfer = [weights.buffer, ...(adapterData ? [adapterData.buffer] : [])];
  return run<TrainResult>(
    message,
    transfer,
    (m) => {
      if (m.type === 'progress') {
        onProgress?.(m.progress);
        return undefined;
      }
      if (m.type === 'checkpoint') {
        const { step, validationLoss } = m;
        if (m.adapter) {
          const adapter = adapterFromWeights(base.config, m.adapter.config, m.adapter.data);
          onCheckpoint?.({ step, validationLoss, model: base, adapter });
        } else {
          onCheckpoint?.({ step, validationLoss, model: modelFromWeights(base.config, m.weights!) });
        }
        return undefined;
      }
      if (m.type !== 'trained') return undefined;
      if (m.adapter)
        return {
          ...m.result,
          model: base,
          adapter: adapterFromWeights(base.config, m.adapter.config, m.adapter.data),
        };
      return { ...m.result, model: modelFromWeights(base.config, m.weights!) };
    },
    signal,
  );
}

/** Like `evaluate`, but in a worker thread. */
export function evaluateInWorker(
  model: GptModel,
  data: Dataset,
  options: WorkerEvaluateCallOptions = {},
): Promise<EvaluationResult> {
  const { adapter, backend, ...rest } = options;
  const weights = model.params.data.slice();
  const adapterData = adapter?.params.data.slice();
  const message: ToWorker = {
    type: 'evaluate',
    config: model.config,
    weights,
    data,
    options: rest,
    ...(backend === undefined ? {} : { backend }),
    ...(adapter && adapterData ? { adapter: { config: adapter.config, data: adapterData } } : {}),
  };
  return run(message, [weights.buffer, ...(adapterData ? [adapterData.buffer] : [])], (m) =>
    m.type === 'evaluated' ? m.result : undefined,
  );
}
