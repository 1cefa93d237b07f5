// Worker threads that take shares of a kernel call on the same shared wasm memory as the main thread:
// matrix products (by batch item, row band or column band) and row-wise fused passes (by row band).
// Shares are claimed from an atomic counter, so a descheduled worker delays a call by at most the one
// share it holds: on a busy machine the main thread simply does the rest itself.

import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import {
  BOUNDS,
  chunkArgs,
  JOB_ARGS,
  JOB_MODE,
  ROW_COUNT_ARG,
  ROW_NARGS,
  ROW_STRIDES,
  rowArgs,
} from './pool-chunks.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';
import type { WasmArena } from './wasm-arena.js';

/** A split product: 18 driver arguments, split mode, chunk boundaries (planChunks), worker scratch. */
interface MatmulJob {
  readonly args: readonly number[];
  readonly mode: 0 | 1 | 2;
  readonly bounds: readonly number[];
  /** Worker w packs into [scratch + w·packBytes, +packBytes); packA takes the first `packABytes`. */
  readonly scratch: number;
  readonly packBytes: number;
  readonly packABytes: number;
}

/** A row-wise pass split into row bands: export `fn`, base arguments, byte stride per row of each. */
interface RowJob {
  readonly fn: number;
  readonly args: readonly number[];
  readonly strides: readonly number[];
  /** Index of the argument that receives each band's row count. */
  readonly countArg: number;
  /** Band boundaries in rows (planChunks). */
  readonly bounds: readonly number[];
}

/** A fixed set of kernel worker threads. */
export interface KernelPool {
  /** Workers that finished starting. */
  readyCount(): number;
  /** Runs `job`, the main thread taking chunks through `runMain`; returns when every chunk is done. */
  run(job: MatmulJob, runMain: (args: number[]) => void): void;
  /** Runs a row-wise job, the main thread taking bands through `runMain`. */
  runRows(job: RowJob, runMain: (args: number[]) => void): void;
  /** Stops the workers. */
  close(): void;
}

// Control block slots (int32): 0 job sequence, 1 stop, 2 open, 3 active workers, 4 next chunk, 5 chunk
// count, 6 failed, 7 worker scratch, 8 pack bytes, 9 packA bytes, 10 kind (0 matmul, 1 row-wise),
// 11 row-wise export, 16.. job (pool-chunks.ts), 64.. row strides, 96+w ready, 160.. chunk bounds;
// then 16 float64 arguments.
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
const KIND = 10;
const FN = 11;
const READY = 96;
const SLOTS = 232;
const F64_ARGS = 16;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, index, rowFns } = workerData;
${chunkArgs.toString()}
${rowArgs.toString()}
const s = new Int32Array(memory.buffer, ctrl, ${SLOTS});
const f = new Float64Array(memory.buffer, ctrl + ${SLOTS * 4}, ${F64_ARGS});
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const matmul = exports.matmul;
const fns = rowFns.map((name) => exports[name]);
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
    const fn = s[${KIND}] === 1 ? fns[s[${FN}]] : undefined;
    for (let idx = Atomics.add(s, ${NEXT}, 1); idx < count; idx = Atomics.add(s, ${NEXT}, 1)) {
      try {
        if (fn) fn(...rowArgs(s, f, idx));
        else matmul(...chunkArgs(s, idx, pa, pb));
      } catch {
        Atomics.store(s, ${FAILED}, 1);
      }
    }
  }
  if (Atomics.sub(s, ${ACTIVE}, 1) === 1) Atomics.notify(s, ${ACTIVE});
}
`;

/** Starts `count` worker threads over `memory` (they never keep the process alive); `rowFns` are export names. */
export function createKernelPool(
  module: WasmModule,
  memory: WasmMemory,
  arena: WasmArena,
  count: number,
  rowFns: readonly string[],
): KernelPool {
  const ctrl = arena.allocBytes(SLOTS * 4 + F64_ARGS * 8);
  const s = new Int32Array(arena.buffer(), ctrl, SLOTS);
  const f = new Float64Array(arena.buffer(), ctrl + SLOTS * 4, F64_ARGS);
  const workers = Array.from({ length: count }, (_, index) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, memory, ctrl, index, rowFns: [...rowFns] },
    });
    worker.unref();
    return worker;
  });
  let seq = 0;

  // Publishes the job (its slots are already written), shares it out and waits for the workers in it.
  const share = (bounds: readonly number[], runChunk: (idx: number) => void) => {
    for (let j = 0; j < bounds.length; j++) s[BOUNDS + j] = bounds[j]!;
    const chunks = bounds.length - 1;
    s[COUNT] = chunks;
    Atomics.store(s, NEXT, 0);
    Atomics.store(s, OPEN, 1);
    Atomics.store(s, SEQ, ++seq);
    Atomics.notify(s, SEQ);
    try {
      for (let idx = Atomics.add(s, NEXT, 1); idx < chunks; idx = Atomics.add(s, NEXT, 1)) runChunk(idx);
    } finally {
      // Close the job, then wait only for workers still inside it (each holds at most one chunk); also
      // after a failure here, so no worker is still writing when the next job reuses the control block.
      Atomics.store(s, OPEN, 0);
      for (let active = Atomics.load(s, ACTIVE); active !== 0; active = Atomics.load(s, ACTIVE)) {
        Atomics.wait(s, ACTIVE, active);
      }
    }
    if (Atomics.load(s, FAILED)) {
      Atomics.store(s, FAILED, 0);
      throw new EngineError('worker_failed', 'a kernel worker thread failed');
    }
  };

  return {
    readyCount() {
      let n = 0;
      while (n < count && Atomics.load(s, READY + n) === 1) n++;
      return n;
    },
    run(job, runMain) {
      s[KIND] = 0;
      for (let j = 0; j < job.args.length; j++) s[JOB_ARGS + j] = job.args[j]!;
      s[JOB_MODE] = job.mode;
      s[SCRATCH] = job.scratch;
      s[PACK] = job.packBytes;
      s[PACK_A] = job.packABytes;
      const pa = job.args[14]!;
      const pb = job.args[15]!;
      share(job.bounds, (idx) => runMain(chunkArgs(s, idx, pa, pb)));
    },
    runRows(job, runMain) {
      s[KIND] = 1;
      s[FN] = job.fn;
      s[ROW_NARGS] = job.args.length;
      s[ROW_COUNT_ARG] = job.countArg;
      for (let j = 0; j < job.args.length; j++) {
        f[j] = job.args[j]!;
        s[ROW_STRIDES + j] = job.strides[j]!;
      }
      share(job.bounds, (idx) => runMain(rowArgs(s, f, idx)));
    },
    close() {
      Atomics.store(s, STOP, 1);
      Atomics.store(s, SEQ, ++seq);
      Atomics.notify(s, SEQ);
      for (const w of workers) void w.terminate();
    },
  };
}
