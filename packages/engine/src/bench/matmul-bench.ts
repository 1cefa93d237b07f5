// Matrix-product benchmark: GFLOP/s of the reference and WASM SIMD kernels on square and model shapes.
// Run after a build: `node packages/engine/dist/bench/matmul-bench.js [--quick] [--threads N]`. Prints only.

import { createReferenceKernels } from '../kernels/reference-kernels.js';
import type { Kernels, MatmulOptions } from '../kernels/types.js';
import { createWasmKernels } from '../kernels/wasm-kernels.js';

interface Case {
  label: string;
  m: number;
  n: number;
  k: number;
  opts?: MatmulOptions;
  batch?: number;
}

const CASES: readonly Case[] = [
  { label: '256x256x1024', m: 256, n: 256, k: 1024 },
  { label: '512^3', m: 512, n: 512, k: 512 },
  { label: 'qkv/fc 1024x384x128', m: 1024, n: 384, k: 128 },
  { label: 'mlp up 1024x512x128', m: 1024, n: 512, k: 128 },
  { label: 'mlp down 1024x128x512', m: 1024, n: 128, k: 512 },
  { label: 'dX 1024x128x512 transB', m: 1024, n: 128, k: 512, opts: { transB: true } },
  { label: 'dW 128x512x1024 transA', m: 128, n: 512, k: 1024, opts: { transA: true } },
  { label: 'head 1024x260x128', m: 1024, n: 260, k: 128 },
  { label: 'att QK^T 32x(128x128x32) transB', m: 128, n: 128, k: 32, batch: 32, opts: { transB: true } },
  { label: 'att AV 32x(128x32x128)', m: 128, n: 32, k: 128, batch: 32 },
];

const random = (n: number) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);

/** Median GFLOP/s of one case on one backend (operands from its own `alloc`, or plain arrays when `plain`). */
export function measure(kernels: Kernels, c: Case, minMs: number, plain = false): number {
  const batch = c.batch ?? 1;
  const alloc = (length: number) => (plain ? new Float32Array(length) : kernels.alloc(length));
  const a = alloc(batch * c.m * c.k);
  const b = alloc(batch * c.k * c.n);
  const out = alloc(batch * c.m * c.n);
  a.set(random(a.length));
  b.set(random(b.length));
  const strides = { a: c.m * c.k, b: c.k * c.n, c: c.m * c.n };
  const run = () => kernels.matmulBatched(a, b, out, batch, c.m, c.n, c.k, strides, c.opts);
  run();
  const flops = 2 * batch * c.m * c.n * c.k;
  const rates: number[] = [];
  const end = performance.now() + minMs;
  while (performance.now() < end || rates.length < 3) {
    const t0 = performance.now();
    run();
    rates.push(flops / ((performance.now() - t0) * 1e6));
  }
  rates.sort((x, y) => x - y);
  // The loop above records at least three rates.
  return rates[rates.length >> 1]!;
}

const quick = process.argv.includes('--quick');
const threadsAt = process.argv.indexOf('--threads');
const threads = threadsAt > 0 ? Number(process.argv[threadsAt + 1]) : 1;
const reference = createReferenceKernels();
const wasmKernels = createWasmKernels({ threads });
// Worker threads boot asynchronously; measure only once all of them take work.
while (wasmKernels.activeThreads() < threads) await new Promise((resolve) => setTimeout(resolve, 10));
console.log(`wasm kernels on ${threads} thread(s)`);
// "wasm" uses operands from alloc() (zero-copy); "wasm+copy" passes plain arrays, copied through scratch.
console.log(
  'case (GFLOP/s)'.padEnd(36),
  'reference'.padStart(10),
  'wasm'.padStart(8),
  'wasm+copy'.padStart(10),
  'ratio'.padStart(7),
);
for (const c of CASES) {
  const ref = quick ? Number.NaN : measure(reference, c, 300);
  const w = measure(wasmKernels, c, quick ? 200 : 1000);
  const wc = measure(wasmKernels, c, quick ? 200 : 500, true);
  console.log(
    c.label.padEnd(36),
    ref.toFixed(2).padStart(10),
    w.toFixed(2).padStart(8),
    wc.toFixed(2).padStart(10),
    (w / ref).toFixed(1).padStart(7),
  );
}
wasmKernels.close();
