// Runs evaluations in one node:worker_threads worker so heavy compute never blocks the validator's event loop.
// Tasks run one at a time; a submission that crashes its worker or runs past its time limit gets failed
// FormatFacts (`evaluation_failed` / `evaluation_timeout`) and the next task gets a fresh worker. A base that
// fails rejects (the job cannot be scored). Pools, queues and persistence belong to the caller.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { ValidatorError } from '../errors.js';
import type { FormatCode } from './artifact-limits.js';
import {
  type BaseEvaluation,
  failedFormat,
  type JobEvaluationInput,
  type SubmissionEvaluation,
  type SubmissionInput,
  submissionFacts,
} from './evaluate-submission.js';

/** Main thread -> worker. */
export type EvaluationTask =
  | { id: number; type: 'base'; job: JobEvaluationInput }
  | { id: number; type: 'submission'; job: JobEvaluationInput; submission: SubmissionInput };

/** Worker -> main thread. */
export type EvaluationReply =
  | { id: number; ok: true; type: 'base'; value: BaseEvaluation }
  | { id: number; ok: true; type: 'submission'; value: SubmissionEvaluation }
  | { id: number; ok: false; message: string };

/** Options of an evaluation thread. */
interface EvaluationThreadOptions {
  /** The compiled worker entry (default: evaluationWorkerEntry()). */
  entry?: string;
  /** Longest one submission may take before its worker is terminated (default 10 minutes). */
  submissionTimeoutMs?: number;
  /** Heap limits of the worker, so a hostile artifact cannot exhaust the validator's memory. */
  resourceLimits?: ResourceLimits;
}

/** One worker thread that evaluates a job's base and submissions. */
export interface EvaluationThread {
  evaluateBase(job: JobEvaluationInput): Promise<BaseEvaluation>;
  /** Never rejects for a bad, crashing or slow artifact: those give failed FormatFacts. */
  evaluateSubmission(job: JobEvaluationInput, submission: SubmissionInput): Promise<SubmissionEvaluation>;
  close(): Promise<void>;
}

/** The compiled worker entry, or undefined when running from src and the validator was not built. */
export function evaluationWorkerEntry(): string | undefined {
  const here = import.meta.url;
  const url = here.endsWith('.ts')
    ? new URL('../../dist/evaluation/evaluation-worker.js', here)
    : new URL('./evaluation-worker.js', here);
  const path = fileURLToPath(url);
  return existsSync(path) ? path : undefined;
}

type Outcome =
  | { kind: 'reply'; reply: EvaluationReply }
  | { kind: 'stopped'; message: string; code: FormatCode };

/** Creates an evaluation thread; its worker starts on first use. */
export function createEvaluationThread(options: EvaluationThreadOptions = {}): EvaluationThread {
  const entry = options.entry ?? evaluationWorkerEntry();
  const timeoutMs = options.submissionTimeoutMs ?? 10 * 60_000;
  let worker: Worker | undefined;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const drop = async () => {
    const stopping = worker;
    worker = undefined;
    await stopping?.terminate();
  };

  const send = (task: EvaluationTask, limitMs: number | undefined): Promise<Outcome> =>
    new Promise<Outcome>((resolve) => {
      if (!entry) {
        resolve({
          kind: 'stopped',
          code: 'evaluation_failed',
          message: 'the evaluation worker is not built',
        });
        return;
      }
      worker ??= new Worker(entry, options.resourceLimits ? { resourceLimits: options.resourceLimits } : {});
      const current = worker;
      const done = (outcome: Outcome) => {
        clearTimeout(timer);
        current.off('message', onMessage).off('error', onError).off('exit', onExit);
        current.unref();
        if (outcome.kind === 'stopped') void drop();
        resolve(outcome);
      };
      const onMessage = (reply: EvaluationReply) => {
        if (reply.id === task.id) done({ kind: 'reply', reply });
      };
      const onError = (error: Error) =>
        done({ kind: 'stopped', code: 'evaluation_failed', message: error.message });
      const onExit = (code: number) =>
        done({ kind: 'stopped', code: 'evaluation_failed', message: `worker exited with ${code}` });
      const timer =
        limitMs === undefined
          ? undefined
          : setTimeout(
              () => done({ kind: 'stopped', code: 'evaluation_timeout', message: `over ${limitMs} ms` }),
              limitMs,
            );
      current.ref();
      current.on('message', onMessage).on('error', onError).on('exit', onExit);
      current.postMessage(task);
    });

  // One task at a time: a queue of promises that never rejects.
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const result = queue.then(run);
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    evaluateBase: (job) =>
      serial(async () => {
        const outcome = await send({ id: nextId++, type: 'base', job }, undefined);
        if (outcome.kind === 'reply' && outcome.reply.ok && outcome.reply.type === 'base')
          return outcome.reply.value;
        const message =
          outcome.kind === 'stopped'
            ? outcome.message
            : outcome.reply.ok
              ? 'wrong reply'
              : outcome.reply.message;
        throw new ValidatorError('internal_error', `base evaluation failed: ${message}`, { status: 500 });
      }),
    evaluateSubmission: (job, submission) =>
      serial(async () => {
        // A private work dir per task, removed here: a terminated worker cannot clean up after itself.
        await mkdir(job.workDir, { recursive: true });
        const workDir = await mkdtemp(join(job.workDir, 'task-'));
        const task = { id: nextId++, type: 'submission' as const, job: { ...job, workDir }, submission };
        const outcome = await send(task, timeoutMs).finally(() =>
          rm(workDir, { recursive: true, force: true }),
        );
        if (outcome.kind === 'reply' && outcome.reply.ok && outcome.reply.type === 'submission') {
          return outcome.reply.value;
        }
        const failure =
          outcome.kind === 'stopped'
            ? { code: outcome.code, detail: outcome.message }
            : {
                code: 'evaluation_failed' as const,
                detail: outcome.reply.ok ? 'wrong reply' : outcome.reply.message,
              };
        return { facts: submissionFacts(submission, failedFormat(failure)), tokens: 0 };
      }),
    close: () => serial(drop),
  };
}
