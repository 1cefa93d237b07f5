// Worker-thread entry: runs one train or evaluate request with the in-process engine and posts the result.
// It is loaded from compiled JavaScript only (dist/worker/engine-worker.js); see worker-trainer.ts.

import { parentPort } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import { evaluate } from '../evaluate.js';
import { createKernels } from '../kernels/create-kernels.js';
import { adapterFromWeights } from '../lora.js';
import { modelFromWeights } from '../model.js';
import { train } from '../train/trainer.js';
import type { FromWorker, ToWorker } from './messages.js';

const port = parentPort;
if (!port) throw new Error('engine-worker.js must run in a worker thread');
const controller = new AbortController();
const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

async function handle(msg: Exclude<ToWorker, { type: 'cancel' }>): Promise<void> {
  const kernels = createKernels(msg.backend ? { backend: msg.backend } : {});
  const model = modelFromWeights(msg.config, msg.weights);
  if (msg.type === 'evaluate') {
    const adapter = msg.adapter ? adapterFromWeights(msg.config, msg.adapter.config, msg.adapter.data) : null;
    post({ type: 'evaluated', result: evaluate(model, msg.data, { ...msg.options, kernels, adapter }) });
    return;
  }
  const initial = msg.initialAdapter;
  const {
    model: trained,
    adapter,
    ...result
  } = await train(model, msg.data, {
    ...msg.options,
    kernels,
    ...(initial ? { initialAdapter: adapterFromWeights(msg.config, initial.config, initial.data) } : {}),
    signal: controller.signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
    onCheckpoint: (c) => {
      if (c.adapter) {
        const data = c.adapter.params.data;
        const adapter = { config: c.adapter.config, data };
        post({ type: 'checkpoint', step: c.step, validationLoss: c.validationLoss, adapter }, [
          data.buffer as ArrayBuffer,
        ]);
      } else {
        const weights = c.model.params.data;
        post({ type: 'checkpoint', step: c.step, validationLoss: c.validationLoss, weights }, [
          weights.buffer as ArrayBuffer,
        ]);
      }
    },
  });
  if (adapter) {
    const data = adapter.params.data;
    post({ type: 'trained', result, adapter: { config: adapter.config, data } }, [
      data.buffer as ArrayBuffer,
    ]);
  } else {
    const weights = trained.params.data;
    post({ type: 'trained', result, weights }, [weights.buffer as ArrayBuffer]);
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'cancel') {
    controller.abort();
    return;
  }
  handle(msg).catch((e: unknown) => {
    const code = e instanceof EngineError ? e.code : 'internal';
    post({ type: 'error', code, message: e instanceof Error ? e.message : String(e) });
  });
});
