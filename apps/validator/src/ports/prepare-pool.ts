// A small pool of node:worker_threads workers that prepare job data (read the source, transform, split,
// write and hash the files) off the event loop. A worker that crashes fails only the request it was
// running (ValidatorError `internal_error`); the next request gets a fresh worker. Idle workers do not keep
// the process alive. Workers load compiled JavaScript only (Node 20 cannot load .ts): from dist the entry is
// the sibling prepare-worker.js; from src (vitest) it is the package's dist/ file, as in the engine.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ErrorCode, Issue } from '@tuning-arena/protocol';
import { ValidatorError } from '../errors.js';
import type { PreparedJobData, PrepareRequest } from './job-data-preparer.js';

/** Where a preparer reads datasets and writes job files (sent with each task). */
export interface PrepareDirs {
  datasetDir: string;
  jobsDir: string;
}

/** Main thread -> worker: one preparation. */
export interface PrepareTask {
  id: number;
  dirs: PrepareDirs;
  request: PrepareRequest;
}

/** Worker -> main thread: the outcome of one task. */
export type PrepareReply =
  | { id: number; ok: true; value: PreparedJobData }
  | { id: number; ok: false; error: { code: ErrorCode; message: string; status: number; issues: Issue[] } };

/** Runs preparations in worker threads. */
export interface PreparePool {
  run(dirs: PrepareDirs, request: PrepareRequest): Promise<PreparedJobData>;
  /** Terminates the workers; requests in flight fail with `internal_error`. */
  close(): Promise<void>;
}

/** Options of a pool: the worker entry file and how many workers at most (default: one per spare core, 1-2). */
interface PreparePoolOptions {
  entry: string;
  size?: number;
}

/** The compiled worker entry, or undefined when running from src and the package was not built. */
export function preparerWorkerEntry(): string | undefined {
  const here = import.meta.url;
  const url = here.endsWith('.ts')
    ? new URL('../../dist/ports/prepare-worker.js', here)
    : new URL('./prepare-worker.js', here);
  const path = fileURLToPath(url);
  return existsSync(path) ? path : undefined;
}

interface Pending {
  task: PrepareTask;
  resolve(value: PreparedJobData): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  running?: Pending | undefined;
}

const stopped = (cause: unknown) =>
  new ValidatorError('internal_error', 'job data preparation failed: its worker stopped', {
    status: 500,
    cause,
  });

/** Creates a pool; workers start on first use. */
export function createPreparePool(options: PreparePoolOptions): PreparePool {
  // Each worker holds its own heap with the datasets package; more than two buy little for occasional jobs.
  const size = Math.max(1, options.size ?? Math.min(2, availableParallelism() - 1));
  const slots: Slot[] = [];
  const waiting: Pending[] = [];
  let nextId = 0;

  const settle = (slot: Slot) => {
    const pending = slot.running;
    slot.running = undefined;
    slot.worker.unref();
    return pending;
  };

  const retire = (slot: Slot, cause: unknown) => {
    const at = slots.indexOf(slot);
    if (at < 0) return;
    slots.splice(at, 1);
    settle(slot)?.reject(stopped(cause));
    void slot.worker.terminate();
    dispatch();
  };

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(options.entry) };
    slot.worker.unref();
    slot.worker.on('message', (reply: PrepareReply) => {
      if (slot.running?.task.id !== reply.id) return;
      const pending = settle(slot);
      if (reply.ok) pending?.resolve(reply.value);
      else {
        const { code, message, status, issues } = reply.error;
        pending?.reject(new ValidatorError(code, message, { status, issues }));
      }
      dispatch();
    });
    slot.worker.on('error', (error) => retire(slot, error));
    slot.worker.on('exit', (code) => retire(slot, new Error(`worker exited with ${code}`)));
    slots.push(slot);
    return slot;
  };

  function dispatch(): void {
    while (waiting.length > 0) {
      const slot = slots.find((s) => !s.running) ?? (slots.length < size ? spawn() : undefined);
      if (!slot) return;
      const pending = waiting.shift() as Pending;
      slot.running = pending;
      // A busy worker keeps the process alive until it answers.
      slot.worker.ref();
      slot.worker.postMessage(pending.task);
    }
  }

  return {
    run: (dirs, request) =>
      new Promise<PreparedJobData>((resolve, reject) => {
        waiting.push({ task: { id: nextId++, dirs, request }, resolve, reject });
        dispatch();
      }),
    close: async () => {
      for (const pending of waiting.splice(0)) pending.reject(stopped(new Error('pool closed')));
      await Promise.all([...slots].map(async (slot) => retire(slot, new Error('pool closed'))));
    },
  };
}

let shared: PreparePool | undefined;

/** One pool per process, shared by every preparer that uses the default entry. */
export function sharedPreparePool(entry: string): PreparePool {
  shared ??= createPreparePool({ entry });
  return shared;
}
