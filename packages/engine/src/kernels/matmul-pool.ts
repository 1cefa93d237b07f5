// Worker threads that run shares of a matrix product on the same shared wasm memory as the main thread.
// Jobs go through a small control block in that memory (Atomics.wait/notify); no messages, no copies.

import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';
import type { WasmArena } from './wasm-arena.js';

/** Arguments of the wasm `matmul` driver export, in order. */
export type MatmulArgs = readonly number[];

/** A fixed set of matmul worker threads. */
export interface MatmulPool {
  /** Workers that finished starting (a worker still booting is simply not used yet). */
  readyCount(): number;
  /** Starts `args` on ready worker `i`. */
  post(i: number, args: MatmulArgs): void;
  /** Blocks until worker `i` finished its job; throws if the job failed. */
  wait(i: number): void;
  /** Stops the workers. */
  close(): void;
}

// Control block per worker (int32 slots): job sequence, done sequence, ready, failed, stop, 16 args.
const SEQ = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const STOP = 4;
const ARGS = 8;
const SLOTS = 32;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl } = workerData;
const s = new Int32Array(memory.buffer, ctrl, ${SLOTS});
let matmul;
try {
  matmul = new WebAssembly.Instance(module, { env: { memory } }).exports.matmul;
  Atomics.store(s, ${READY}, 1);
} catch {
  Atomics.store(s, ${FAILED}, 1);
}
let seen = 0;
while (matmul) {
  Atomics.wait(s, ${SEQ}, seen);
  seen = Atomics.load(s, ${SEQ});
  if (Atomics.load(s, ${STOP})) break;
  try {
    matmul(${Array.from({ length: 16 }, (_, i) => `s[${ARGS + i}]`).join(', ')});
  } catch {
    Atomics.store(s, ${FAILED}, 1);
  }
  Atomics.store(s, ${DONE}, seen);
  Atomics.notify(s, ${DONE});
}
`;

/** Starts `count` worker threads over `memory` (they never keep the process alive). */
export function createMatmulPool(
  module: WasmModule,
  memory: WasmMemory,
  arena: WasmArena,
  count: number,
): MatmulPool {
  const blocks = Array.from({ length: count }, () => {
    const ctrl = arena.allocBytes(SLOTS * 4);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, ctrl } });
    worker.unref();
    return { ctrl, worker, view: new Int32Array(arena.buffer(), ctrl, SLOTS), seq: 0 };
  });
  return {
    readyCount() {
      let n = 0;
      while (n < blocks.length && Atomics.load(blocks[n]!.view, READY) === 1) n++;
      return n;
    },
    post(i, args) {
      const b = blocks[i]!;
      for (let j = 0; j < args.length; j++) b.view[ARGS + j] = args[j]!;
      b.seq++;
      Atomics.store(b.view, SEQ, b.seq);
      Atomics.notify(b.view, SEQ);
    },
    wait(i) {
      const b = blocks[i]!;
      for (;;) {
        const done = Atomics.load(b.view, DONE);
        if (done === b.seq) break;
        Atomics.wait(b.view, DONE, done);
      }
      if (Atomics.load(b.view, FAILED)) {
        throw new EngineError('worker_failed', `matmul worker ${i} failed`);
      }
    },
    close() {
      for (const b of blocks) {
        Atomics.store(b.view, STOP, 1);
        Atomics.store(b.view, SEQ, ++b.seq);
        Atomics.notify(b.view, SEQ);
        void b.worker.terminate();
      }
    },
  };
}
