// Worker-thread entry of the evaluation thread (evaluation-thread.ts): runs base and submission evaluations
// with the in-process steps (evaluate-submission.ts), keeping the last job's loaded bases between tasks. It is
// loaded from compiled JavaScript only (dist/evaluation/evaluation-worker.js); it owns no timeouts.

import { parentPort } from 'node:worker_threads';
import {
  evaluateBase,
  evaluateSubmission,
  type JobEvaluationInput,
  type LoadedJob,
  loadJob,
} from './evaluate-submission.js';
import type { EvaluationReply, EvaluationTask } from './evaluation-thread.js';

const port = parentPort;
if (!port) throw new Error('evaluation-worker.js must run in a worker thread');

let cached: { key: string; job: Promise<LoadedJob> } | undefined;

/** The loaded job for a task, reusing the bases when consecutive tasks share them. */
function jobFor(input: JobEvaluationInput): Promise<LoadedJob> {
  const key = JSON.stringify([input.base, input.otherBases]);
  if (cached?.key !== key) cached = { key, job: loadJob(input) };
  return cached.job.then((job) => ({
    ...job,
    sets: input.sets,
    workDir: input.workDir,
    limits: input.limits ?? {},
  }));
}

port.on('message', async (task: EvaluationTask) => {
  let reply: EvaluationReply;
  try {
    const job = await jobFor(task.job);
    reply =
      task.type === 'base'
        ? { id: task.id, ok: true, type: 'base', value: await evaluateBase(job) }
        : {
            id: task.id,
            ok: true,
            type: 'submission',
            value: await evaluateSubmission(job, task.submission),
          };
  } catch (error) {
    cached = undefined;
    reply = { id: task.id, ok: false, message: (error as Error)?.message ?? String(error) };
  }
  port.postMessage(reply);
});
