// Fused element-wise kernels benchmark: milliseconds per call of the TypeScript reference and the WASM SIMD
// versions on the reference model's shapes. Run after a build: `node packages/engine/dist/bench/fused-bench.js`.

import { createReferenceKernels } from '../kernels/reference-kernels.js';
import type { FusedKernels } from '../kernels/types.js';
import { createWasmKernels } from '../kernels/wasm-kernels.js';

const ROWS = 1024;
const C = 128;
const T = 128;
const BH = 32;
const V = 260;

const wasmKernels = createWasmKernels();
const reference = createReferenceKernels();
const buf = (n: number, scale = 1) => {
  const a = wasmKernels.alloc(n);
  for (let i = 0; i < n; i++) a[i] = (Math.random() * 2 - 1) * scale;
  return a;
};

const pre = buf(ROWS * 4 * C, 3);
// Zero bias: bias+GELU adds it into `pre` in place, and the timed loop must not drift the inputs.
const bias = buf(4 * C, 0);
const colSums = buf(4 * C);
const out = buf(ROWS * 4 * C);
const dout = buf(ROWS * 4 * C);
const x = buf(ROWS * C);
const gamma = buf(C);
const beta = buf(C);
const y = buf(ROWS * C);
const mean = buf(ROWS);
const rstd = buf(ROWS);
const dx = buf(ROWS * C);
const dgamma = buf(C);
const dbeta = buf(C);
const probs = buf(BH * T * T, 5);
const dprobs = buf(BH * T * T);
const logits = buf(ROWS * V, 3);
const targets = Int32Array.from({ length: ROWS }, (_, i) => (i * 7) % V);
const rowLoss = new Float64Array(ROWS);

const CASES: readonly [string, (k: FusedKernels) => void][] = [
  ['bias+GELU 1024x512', (k) => k.biasGeluForward(pre, bias, out, ROWS, 4 * C)],
  ['GELU backward 1024x512', (k) => k.geluBackward(pre, dout, out, ROWS * 4 * C)],
  ['layer norm 1024x128', (k) => k.layerNormForward(x, gamma, beta, y, mean, rstd, ROWS, C, 1e-5)],
  [
    'layer norm bwd 1024x128',
    (k) => k.layerNormBackward(y, x, gamma, mean, rstd, dx, dgamma, dbeta, ROWS, C),
  ],
  ['bias+residual 1024x128', (k) => k.addBiasResidual(y, gamma, x, ROWS, C)],
  ['column sums 1024x512', (k) => k.sumRows(dout, ROWS, 4 * C, colSums)],
  ['causal softmax 32x128x128', (k) => k.softmaxRows(probs, BH * T, T, { scale: 0.17, causal: true })],
  [
    'softmax bwd 32x128x128',
    (k) => k.softmaxRowsBackward(probs, dprobs, BH * T, T, { scale: 0.17, causal: true }),
  ],
  ['cross-entropy 1024x260', (k) => k.softmaxCrossEntropyForward(logits, targets, rowLoss, ROWS, V)],
];

/** Median milliseconds of `run` over ~200 ms. */
function time(run: () => void): number {
  run();
  const samples: number[] = [];
  const end = performance.now() + 200;
  while (performance.now() < end || samples.length < 5) {
    const t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
  }
  samples.sort((p, q) => p - q);
  return samples[samples.length >> 1]!;
}

console.log(
  'pass (ms per call)'.padEnd(30),
  'reference'.padStart(10),
  'wasm'.padStart(8),
  'speed-up'.padStart(9),
);
for (const [label, run] of CASES) {
  const ref = time(() => run(reference));
  const w = time(() => run(wasmKernels));
  console.log(
    label.padEnd(30),
    ref.toFixed(3).padStart(10),
    w.toFixed(3).padStart(8),
    `${(ref / w).toFixed(1)}x`.padStart(9),
  );
}
