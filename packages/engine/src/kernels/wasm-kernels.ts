// WebAssembly SIMD kernels: stages operands, splits calls across threads and calls the wasm exports.
// Operands already in wasm memory (from `alloc`) are used in place; others are copied through scratch.

import { EngineError } from '../errors.js';
import { checkMatmulShape } from './check-shape.js';
import { createKernelPool, type KernelPool } from './kernel-pool.js';
import { loadKernelsModule } from './load-wasm.js';
import { planChunks } from './pool-chunks.js';
import type { BatchStrides, FusedKernels, Kernels, MatmulTriangle } from './types.js';
import { isWasmModule, type WasmModule, wasm } from './wasm-api.js';
import { createWasmArena } from './wasm-arena.js';
import { createWasmFused, type FusedExports, ROW_FNS, type RowRunner } from './wasm-fused.js';
import { MATMUL_FLAGS, packABytes, packBBytes, TRI_SHIFT } from './wat-driver.js';
import { TRI } from './wat-matmul.js';

/** Options of `createWasmKernels`. */
interface WasmKernelsOptions {
  /**
   * Compute threads (default 1) for matrix products and row-wise fused passes: extra threads are worker
   * threads on the same memory that claim shares of each call. On the 2-core dev box 2 threads measured
   * ~1.6-1.9x when the second core was free and ~0.9-1x when it was busy; measure before raising it.
   */
  threads?: number;
  /** A compiled kernels module or its bytes, instead of the generated file next to this module. */
  module?: WasmModule | Uint8Array;
  /** Products below this many floating-point operations stay on one thread (default 2e6); row-wise passes
   * below 1/32 of it values (default 65536) do too. */
  parallelMinFlops?: number;
}

interface DriverExports {
  block_m(): number;
  block_k(): number;
  matmul(...args: number[]): void;
}

/** The WASM kernels plus handles the benchmarks and fused kernels use. */
export interface WasmKernels extends Omit<Kernels, keyof FusedKernels>, FusedKernels {
  readonly name: 'wasm-simd';
  /** Compute threads configured for large matrix products. */
  readonly threads: number;
  /** Threads taking work right now: 1 plus the workers that finished starting. */
  activeThreads(): number;
  /** Returns a buffer from `alloc` for reuse. */
  free(buffer: Float32Array): void;
  /** True when `array` lives in the kernels' memory (no copy needed). */
  owns(array: Float32Array): boolean;
  /** Stops the worker threads (a no-op with one thread); the kernels then run on one thread. */
  close(): void;
}

const NO_STRIDES: BatchStrides = { a: 0, b: 0, c: 0 };
const TRIANGLES: Record<MatmulTriangle, number> = {
  'lower-c': TRI.lowerC,
  'lower-a': TRI.lowerA,
  'upper-a': TRI.upperA,
};
const MAX_THREADS = 64;
const up64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

/** Creates the WebAssembly SIMD kernels synchronously; throws `kernels_not_built` when the binary is missing. */
export function createWasmKernels(opts: WasmKernelsOptions = {}): WasmKernels {
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new EngineError('kernels_threads_unsupported', `threads must be an integer in 1..${MAX_THREADS}`);
  }
  const module =
    opts.module === undefined
      ? loadKernelsModule()
      : isWasmModule(opts.module)
        ? opts.module
        : new wasm.Module(opts.module as Uint8Array);
  const arena = createWasmArena();
  const instance = new wasm.Instance(module, { env: { memory: arena.memory } });
  const x = instance.exports as unknown as DriverExports & FusedExports;
  const blockM = x.block_m();
  const blockK = x.block_k();
  let pool: KernelPool | undefined =
    threads > 1 ? createKernelPool(module, arena.memory, arena, threads - 1, ROW_FNS) : undefined;
  const parallelMinFlops = opts.parallelMinFlops ?? 2e6;
  // Row-wise passes split when they touch at least this many values, in bands of at least half of it.
  const parallelMinValues = opts.parallelMinFlops === undefined ? 65536 : opts.parallelMinFlops / 32;

  const runRows: RowRunner = (fn, args, strides, countArg, rows, quantum) => {
    const call = x[fn] as (...a: number[]) => void;
    const workers = pool ? pool.readyCount() : 0;
    const values = rows * Math.max(1, Math.max(...strides) / 4);
    if (workers === 0 || values < parallelMinValues) return call(...args);
    const perRow = values / rows;
    const minRows = Math.max(quantum, Math.ceil(parallelMinValues / 2 / perRow / quantum) * quantum);
    if (minRows >= rows) return call(...args);
    const bounds = planChunks(rows, quantum, minRows, 1 + workers);
    pool!.runRows({ fn: ROW_FNS.indexOf(fn), args, strides, countArg, bounds }, (a) => call(...a));
  };

  let scratch = 0;
  let scratchBytes = 0;
  const ensureScratch = (bytes: number): number => {
    if (bytes > scratchBytes) {
      if (scratchBytes) arena.freeBytes(scratch);
      scratchBytes = Math.max(bytes, Math.ceil(scratchBytes * 1.5));
      scratch = arena.allocBytes(scratchBytes);
    }
    return scratch;
  };

  const matmulBatched: Kernels['matmulBatched'] = (a, b, c, batch, m, n, k, strides, o = {}) => {
    checkMatmulShape(a, b, c, batch, m, n, k, strides);
    if (batch === 0 || m === 0 || n === 0) return;
    if (k === 0) {
      if (!o.accumulate) for (let t = 0; t < batch; t++) c.fill(0, t * strides.c, t * strides.c + m * n);
      return;
    }
    // Split large products when workers are up: whole products of a batch with disjoint C, else row
    // bands when A is the taller operand, else column bands (each share repacks only the other operand).
    const flops = 2 * batch * m * n * k;
    const workers = pool && flops >= parallelMinFlops ? pool.readyCount() : 0;
    const threadsNow = 1 + workers;
    const cDisjoint = strides.c >= m * n;
    const mode: 0 | 1 | 2 = batch > 1 && cDisjoint ? 0 : m >= n ? 1 : 2;
    const extent = mode === 0 ? batch : mode === 1 ? m : n;
    const quantum = mode === 0 ? 1 : mode === 1 ? 4 : 8;
    // Guided shares, none smaller than half the parallel threshold.
    const perUnit = flops / extent;
    const minUnits = Math.max(quantum, Math.ceil(parallelMinFlops / 2 / perUnit / quantum) * quantum);
    const bounds =
      workers > 0 && minUnits < extent ? planChunks(extent, quantum, minUnits, threadsNow) : [0, extent];
    const parts = bounds.length > 2 ? threadsNow : 1;
    const span = (stride: number, size: number) => (batch - 1) * stride + size;
    const aSpan = span(strides.a, m * k);
    const bSpan = span(strides.b, k * n);
    const cSpan = span(strides.c, m * n);
    const aIn = arena.owns(a);
    const bIn = arena.owns(b);
    const cIn = arena.owns(c);
    const packA = up64(packABytes(blockM, blockK));
    const packBytes = packA + up64(packBBytes(n, blockK));
    const need =
      (aIn ? 0 : up64(aSpan * 4)) +
      (bIn ? 0 : up64(bSpan * 4)) +
      (cIn ? 0 : up64(cSpan * 4)) +
      parts * packBytes;
    let p = ensureScratch(need);
    const buf = arena.buffer();
    let aP = a.byteOffset;
    if (!aIn) {
      new Float32Array(buf, p, aSpan).set(a.subarray(0, aSpan));
      aP = p;
      p += up64(aSpan * 4);
    }
    let bP = b.byteOffset;
    if (!bIn) {
      new Float32Array(buf, p, bSpan).set(b.subarray(0, bSpan));
      bP = p;
      p += up64(bSpan * 4);
    }
    let cP = c.byteOffset;
    if (!cIn) {
      cP = p;
      // Copy C in only when its old values matter; gaps between strided matrices are never read back.
      if (o.accumulate) new Float32Array(buf, p, cSpan).set(c.subarray(0, cSpan));
      p += up64(cSpan * 4);
    }
    const flags =
      (o.transA ? MATMUL_FLAGS.transA : 0) |
      (o.transB ? MATMUL_FLAGS.transB : 0) |
      (o.accumulate ? MATMUL_FLAGS.accumulate : 0) |
      (o.triangle ? TRIANGLES[o.triangle] << TRI_SHIFT : 0);
    const lda = o.transA ? m : k;
    const ldb = o.transB ? k : n;
    const [sa, sb, sc] = [strides.a * 4, strides.b * 4, strides.c * 4];
    const args = [aP, bP, cP, batch, sa, sb, sc, m, n, k, lda, ldb, n, flags, p, p + packA, 0, 0];
    if (parts === 1) x.matmul(...args);
    else {
      const job = { args, mode, bounds, scratch: p + packBytes, packBytes, packABytes: packA };
      pool!.run(job, (chunkArgs) => x.matmul(...chunkArgs));
    }
    if (!cIn) {
      if (strides.c === m * n || batch === 1) c.set(new Float32Array(buf, cP, cSpan));
      else
        for (let t = 0; t < batch; t++)
          c.set(new Float32Array(buf, cP + t * strides.c * 4, m * n), t * strides.c);
    }
  };

  return {
    ...createWasmFused(x, arena, runRows),
    name: 'wasm-simd',
    threads,
    activeThreads: () => 1 + (pool?.readyCount() ?? 0),
    matmul: (a, b, c, m, n, k, o) => matmulBatched(a, b, c, 1, m, n, k, NO_STRIDES, o),
    matmulBatched,
    alloc: (length) => {
      // Allocate first: it may grow the memory, and only the newest buffer covers the new block.
      const address = arena.allocBytes(length * 4);
      return new Float32Array(arena.buffer(), address, length);
    },
    free: (buffer) => {
      if (arena.owns(buffer)) arena.freeBytes(buffer.byteOffset);
    },
    owns: (array) => arena.owns(array),
    close: () => {
      pool?.close();
      pool = undefined;
    },
  };
}
