// WebAssembly SIMD kernels: the JS driver that blocks over K and M, packs operands and runs the 4×8 micro-kernel.
// Operands already in wasm memory (from `alloc`) are used in place; others are copied through scratch.

import { EngineError } from '../errors.js';
import { checkMatmulShape } from './check-shape.js';
import { loadKernelsModule } from './load-wasm.js';
import type { BatchStrides, FusedKernels, Kernels, MatmulOptions } from './types.js';
import { isWasmModule, type WasmModule, wasm } from './wasm-api.js';
import { createWasmArena } from './wasm-arena.js';
import { createWasmFused, type FusedExports } from './wasm-fused.js';

/** Options of `createWasmKernels`. */
export interface WasmKernelsOptions {
  /** Compute threads; only 1 is implemented (threads measured flat or slower on 2 shared cores). */
  threads?: number;
  /** A compiled kernels module or its bytes, instead of the generated file next to this module. */
  module?: WasmModule | Uint8Array;
  /** K block size (tuning knob). */
  blockK?: number;
  /** M block size, a multiple of 4 (tuning knob). */
  blockM?: number;
}

interface MatmulExports {
  gemm(pa: number, pb: number, c: number, ldc: number, m: number, n: number, kc: number, acc: number): void;
  pack_copy4(src: number, ld: number, kc: number, cols: number, dst: number): void;
  pack_copy8(src: number, ld: number, kc: number, cols: number, dst: number): void;
  pack_trans4(src: number, ld: number, kc: number, rows: number, dst: number): void;
  pack_trans8(src: number, ld: number, kc: number, rows: number, dst: number): void;
}

/** The WASM kernels plus handles the benchmarks and fused kernels use. */
export interface WasmKernels extends Omit<Kernels, keyof FusedKernels>, FusedKernels {
  readonly name: 'wasm-simd';
  /** Returns a buffer from `alloc` for reuse. */
  free(buffer: Float32Array): void;
  /** True when `array` lives in the kernels' memory (no copy needed). */
  owns(array: Float32Array): boolean;
}

const NO_STRIDES: BatchStrides = { a: 0, b: 0, c: 0 };
const up64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

/** Creates the WebAssembly SIMD kernels synchronously; throws `kernels_not_built` when the binary is missing. */
export function createWasmKernels(opts: WasmKernelsOptions = {}): WasmKernels {
  if (opts.threads !== undefined && opts.threads !== 1) {
    throw new EngineError(
      'kernels_threads_unsupported',
      'the WASM kernels run on one thread; pass threads: 1',
    );
  }
  const blockK = opts.blockK ?? 256;
  const blockM = Math.max(4, Math.floor((opts.blockM ?? 64) / 4) * 4);
  const module =
    opts.module === undefined
      ? loadKernelsModule()
      : isWasmModule(opts.module)
        ? opts.module
        : new wasm.Module(opts.module as Uint8Array);
  const arena = createWasmArena();
  const instance = new wasm.Instance(module, { env: { memory: arena.memory } });
  const x = instance.exports as unknown as MatmulExports & FusedExports;

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

  const one = (aP: number, bP: number, cP: number, m: number, n: number, k: number, o: MatmulOptions) => {
    const pa = packA;
    const pb = packB;
    for (let k0 = 0; k0 < k; k0 += blockK) {
      const kc = Math.min(blockK, k - k0);
      if (o.transB) x.pack_trans8(bP + k0 * 4, k, kc, n, pb);
      else x.pack_copy8(bP + k0 * n * 4, n, kc, n, pb);
      const acc = o.accumulate || k0 > 0 ? 1 : 0;
      for (let i0 = 0; i0 < m; i0 += blockM) {
        const mc = Math.min(blockM, m - i0);
        if (o.transA) x.pack_copy4(aP + (k0 * m + i0) * 4, m, kc, mc, pa);
        else x.pack_trans4(aP + (i0 * k + k0) * 4, k, kc, mc, pa);
        x.gemm(pa, pb, cP + i0 * n * 4, n, mc, n, kc, acc);
      }
    }
  };
  // Set per call by matmulBatched before `one` runs.
  let packA = 0;
  let packB = 0;

  const matmulBatched: Kernels['matmulBatched'] = (a, b, c, batch, m, n, k, strides, o = {}) => {
    checkMatmulShape(a, b, c, batch, m, n, k, strides);
    if (batch === 0 || m === 0 || n === 0) return;
    if (k === 0) {
      if (!o.accumulate) for (let t = 0; t < batch; t++) c.fill(0, t * strides.c, t * strides.c + m * n);
      return;
    }
    const span = (stride: number, size: number) => (batch - 1) * stride + size;
    const aSpan = span(strides.a, m * k);
    const bSpan = span(strides.b, k * n);
    const cSpan = span(strides.c, m * n);
    const aIn = arena.owns(a);
    const bIn = arena.owns(b);
    const cIn = arena.owns(c);
    const kc = Math.min(blockK, k);
    const packABytes = up64(Math.ceil(Math.min(blockM, m) / 4) * 16 * kc);
    const packBBytes = up64(Math.ceil(n / 8) * 32 * kc);
    const need =
      (aIn ? 0 : up64(aSpan * 4)) +
      (bIn ? 0 : up64(bSpan * 4)) +
      (cIn ? 0 : up64(cSpan * 4)) +
      packABytes +
      packBBytes;
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
    packA = p;
    packB = p + packABytes;
    for (let t = 0; t < batch; t++) {
      one(aP + t * strides.a * 4, bP + t * strides.b * 4, cP + t * strides.c * 4, m, n, k, o);
    }
    if (!cIn) {
      if (strides.c === m * n || batch === 1) c.set(new Float32Array(buf, cP, cSpan));
      else
        for (let t = 0; t < batch; t++)
          c.set(new Float32Array(buf, cP + t * strides.c * 4, m * n), t * strides.c);
    }
  };

  return {
    ...createWasmFused(x, arena),
    name: 'wasm-simd',
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
  };
}
