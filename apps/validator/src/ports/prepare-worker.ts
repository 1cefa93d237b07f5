// Worker-thread entry of the prepare pool (prepare-pool.ts): runs each task's preparation with the
// in-process datasets preparer and posts the prepared data or the error's code, status and issues back.
// It is loaded from compiled JavaScript only (dist/ports/prepare-worker.js).

import { parentPort } from 'node:worker_threads';
import { isValidatorError } from '../errors.js';
import { prepareJobData } from './datasets-preparer.js';
import type { PrepareReply, PrepareTask } from './prepare-pool.js';

const port = parentPort;
if (!port) throw new Error('prepare-worker.js must run in a worker thread');
const post = (reply: PrepareReply) => port.postMessage(reply);

port.on('message', async (task: PrepareTask) => {
  try {
    post({ id: task.id, ok: true, value: await prepareJobData(task.dirs, task.request) });
  } catch (error) {
    post({
      id: task.id,
      ok: false,
      error: isValidatorError(error)
        ? { code: error.code, message: error.message, status: error.status, issues: error.issues }
        : {
            code: 'internal_error',
            message: (error as Error)?.message ?? String(error),
            status: 500,
            issues: [],
          },
    });
  }
});
