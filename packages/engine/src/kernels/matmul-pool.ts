// Worker threads that take shares of a matrix product on the same shared wasm memory as the main thread.
// Shares are claimed from an atomic counter, so a descheduled worker delays the product by at most the
// one share it holds: on a busy machine the main thread simply does the rest itself.

import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import { chunkArgs, JOB_ARGS, JOB_CHUNK, JOB_MODE } from './matmul-chunks.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';
import type { WasmArena } from './wasm-arena.js';

/** A split product: 18 driver arguments, split mode and chunk size, chunk count, worker scratch. */
export interface MatmulJob {
  readonly args: readonly number[];
  readonly mode: 0 | 1 | 2;
  readonly chunk: number;
  readonly chunks: number;
  /** Worker w packs into [scratch + w·packBytes, +packBytes); packA takes the first `packABytes`. */
  readonly scratch: number;
  readonly packBytes: number;
  readonly packABytes: number;
}

/** A fixed set of matmul worker threads. */
export interface MatmulPool {
  /** Workers that finished starting. */
  readyCount(): number;
  /** Runs `job`, the main thread taking chunks through `runMain`; returns when every chunk is done. */
  run(job: MatmulJob, runMain: (args: number[]) => void): void;
  /** Stops the workers. */
  close(): void;
}

// Control block slots (int32): 0 job sequence, 1 stop, 2 open, 3 active workers, 4 next chunk, 5 chunk
// count, 6 failed, 7 worker scratch, 8 pack bytes, 9 packA bytes, 16.. job (matmul-chunks.ts), 48+w ready.
const SEQ = 0;
const STOP = 1;
const OPEN = 2;
const ACTIVE = 3;
const NEXT = 4;
const COUNT = 5;
const FAILED = 6;
const SCRATCH = 7;
const PACK = 8;
const PACK_A = 9;
const READY = 48;
const SLOTS = 128;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, index } = workerData;
${chunkArgs.toString()}
const s = new Int32Array(memory.buffer, ctrl, ${SLOTS});
const { matmul } = new WebAssembly.Instance(module, { env: { memory } }).exports;
Atomics.store(s, ${READY} + index, 1);
let seen = 0;
for (;;) {
  Atomics.wait(s, ${SEQ}, seen);
  seen = Atomics.load(s, ${SEQ});
  if (Atomics.load(s, ${STOP})) break;
  Atomics.add(s, ${ACTIVE}, 1);
  if (Atomics.load(s, ${OPEN})) {
    const pa = s[${SCRATCH}] + index * s[${PACK}];
    const pb = pa + s[${PACK_A}];
    const count = s[${COUNT}];
    for (let idx = Atomics.add(s, ${NEXT}, 1); idx < count; idx = Atomics.add(s, ${NEXT}, 1)) {
      try {
        matmul(...chunkArgs(s, idx, pa, pb));
      } catch {
        Atomics.store(s, ${FAILED}, 1);
      }
    }
  }
  if (Atomics.sub(s, ${ACTIVE}, 1) === 1) Atomics.notify(s, ${ACTIVE});
}
`;

/** Starts `count` worker threads over `memory` (they never keep the process alive). */
export function createMatmulPool(
  module: WasmModule,
  memory: WasmMemory,
  arena: WasmArena,
  count: number,
): MatmulPool {
  const ctrl = arena.allocBytes(SLOTS * 4);
  const s = new Int32Array(arena.buffer(), ctrl, SLOTS);
  const workers = Array.from({ length: count }, (_, index) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, ctrl, index } });
    worker.unref();
    return worker;
  });
  let seq = 0;
  return {
    readyCount() {
      let n = 0;
      while (n < count && Atomics.load(s, READY + n) === 1) n++;
      return n;
    },
    run(job, runMain) {
      for (let j = 0; j < job.args.length; j++) s[JOB_ARGS + j] = job.args[j]!;
      s[JOB_MODE] = job.mode;
      s[JOB_CHUNK] = job.chunk;
      s[COUNT] = job.chunks;
      s[SCRATCH] = job.scratch;
      s[PACK] = job.packBytes;
      s[PACK_A] = job.packABytes;
      Atomics.store(s, NEXT, 0);
      Atomics.store(s, OPEN, 1);
      Atomics.store(s, SEQ, ++seq);
      Atomics.notify(s, SEQ);
      const pa = job.args[14]!;
      const pb = job.args[15]!;
      for (let idx = Atomics.add(s, NEXT, 1); idx < job.chunks; idx = Atomics.add(s, NEXT, 1)) {
        runMain(chunkArgs(s, idx, pa, pb));
      }
      // Close the job, then wait only for workers still inside it (each holds at most one chunk).
      Atomics.store(s, OPEN, 0);
      for (let active = Atomics.load(s, ACTIVE); active !== 0; active = Atomics.load(s, ACTIVE)) {
        Atomics.wait(s, ACTIVE, active);
      }
      if (Atomics.load(s, FAILED)) {
        Atomics.store(s, FAILED, 0);
        throw new EngineError('worker_failed', 'a matmul worker thread failed');
      }
    },
    close() {
      Atomics.store(s, STOP, 1);
      Atomics.store(s, SEQ, ++seq);
      Atomics.notify(s, SEQ);
      for (const w of workers) void w.terminate();
    },
  };
}
