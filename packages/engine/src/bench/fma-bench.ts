// FMA experiment: matmul GFLOP/s of the shipped micro-kernel (f32x4.mul + f32x4.add) against the same kernel
// with relaxed SIMD's fused `f32x4.relaxed_madd`, both compiled here with wabt. Prints only; ships nothing.
// Run after a build: `node packages/engine/dist/bench/fma-bench.js [--threads N] [--rounds N]`.

import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { compileKernelsWasm } from '../kernels/compile-wat.js';
import type { MatmulOptions } from '../kernels/types.js';
import { isWasmModule, wasm } from '../kernels/wasm-api.js';
import { createWasmKernels, type WasmKernels } from '../kernels/wasm-kernels.js';

// Node 20 keeps relaxed SIMD behind a V8 flag; it must be set before the module is compiled. V8 flags are
// process-wide, so kernel worker threads that instantiate the module see it too.
setFlagsFromString('--experimental-wasm-relaxed-simd');

const { values: args } = parseArgs({
  options: { threads: { type: 'string', default: '1' }, rounds: { type: 'string', default: '3' } },
});
const threads = Number(args.threads);
const rounds = Number(args.rounds);

interface Case {
  label: string;
  m: number;
  n: number;
  k: number;
  batch?: number;
  opts?: MatmulOptions;
}

const CASES: readonly Case[] = [
  { label: '512^3', m: 512, n: 512, k: 512 },
  { label: 'qkv 1024x384x128', m: 1024, n: 384, k: 128 },
  { label: 'mlp up 1024x512x128', m: 1024, n: 512, k: 128 },
  { label: 'mlp down 1024x128x512', m: 1024, n: 128, k: 512 },
  { label: 'dW 128x512x1024 transA', m: 128, n: 512, k: 1024, opts: { transA: true } },
  { label: 'att QK^T 32x(128x128x32) transB', m: 128, n: 128, k: 32, batch: 32, opts: { transB: true } },
];

const random = (out: Float32Array) => {
  for (let i = 0; i < out.length; i++) out[i] = Math.random() * 2 - 1;
  return out;
};

function gflops(kern: WasmKernels, c: Case, minMs: number): number {
  const batch = c.batch ?? 1;
  const a = random(kern.alloc(batch * c.m * c.k));
  const b = random(kern.alloc(batch * c.k * c.n));
  const out = kern.alloc(batch * c.m * c.n);
  const strides = { a: c.m * c.k, b: c.k * c.n, c: c.m * c.n };
  const run = () => kern.matmulBatched(a, b, out, batch, c.m, c.n, c.k, strides, c.opts);
  run();
  const rates: number[] = [];
  const end = performance.now() + minMs;
  while (performance.now() < end || rates.length < 3) {
    const t0 = performance.now();
    run();
    rates.push((2 * batch * c.m * c.n * c.k) / ((performance.now() - t0) * 1e6));
  }
  for (const x of [a, b, out]) kern.free(x);
  rates.sort((x, y) => x - y);
  return rates[rates.length >> 1]!;
}

/** Worst |fma − plain| / Σ|a·b| over an odd-shaped product (17×129·129×33, every edge-tile case). */
function worstDifference(plain: WasmKernels, fma: WasmKernels): number {
  const [m, n, k] = [17, 33, 129];
  const a = random(new Float32Array(m * k));
  const b = random(new Float32Array(k * n));
  const [cp, cf] = [new Float32Array(m * n), new Float32Array(m * n)];
  plain.matmul(a, b, cp, m, n, k);
  fma.matmul(a, b, cf, m, n, k);
  let worst = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let scale = 0;
      for (let t = 0; t < k; t++) scale += Math.abs(a[i * k + t]! * b[t * n + j]!);
      worst = Math.max(worst, Math.abs(cf[i * n + j]! - cp[i * n + j]!) / scale);
    }
  return worst;
}

async function started(kern: WasmKernels): Promise<boolean> {
  const end = Date.now() + 10_000;
  while (kern.activeThreads() < threads && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return kern.activeThreads() === threads;
}

const plainBytes = await compileKernelsWasm();
const fmaBytes = await compileKernelsWasm({ fma: true });
const compiles = (() => {
  try {
    return isWasmModule(new wasm.Module(fmaBytes));
  } catch {
    return false;
  }
})();
console.log(`relaxed SIMD module compiles: ${compiles}`);
const plain = createWasmKernels({ module: plainBytes, threads });
const fma = createWasmKernels({ module: fmaBytes, threads });
const up = (await started(plain)) && (await started(fma));
console.log(`threads: ${threads}${up ? '' : ' (some workers did not start)'}`);
console.log(`worst relative difference fma vs plain: ${worstDifference(plain, fma).toExponential(1)}`);
console.log(
  'case (GFLOP/s, median of rounds)'.padEnd(36),
  'plain'.padStart(8),
  'fma'.padStart(8),
  'ratio'.padStart(7),
);
for (const c of CASES) {
  const p: number[] = [];
  const f: number[] = [];
  // Alternate the variants so drift on the shared machine hits both alike.
  for (let r = 0; r < rounds; r++) {
    p.push(gflops(plain, c, 400));
    f.push(gflops(fma, c, 400));
  }
  const med = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1]!;
  const [mp, mf] = [med(p), med(f)];
  console.log(
    c.label.padEnd(36),
    mp.toFixed(1).padStart(8),
    mf.toFixed(1).padStart(8),
    (mf / mp).toFixed(2).padStart(7),
  );
}
plain.close();
fma.close();
