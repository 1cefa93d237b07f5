import { setFlagsFromString } from 'node:v8';
import { beforeAll, describe, it } from 'vitest';
import { compileKernelsWasm } from './compile-wat.js';
import { createReferenceKernels } from './reference-kernels.js';
import { ALL_OPTIONS, expectClose, ODD_SHAPES, seeded } from './test-matmul-cases.js';
import { createWasmKernels, type WasmKernels } from './wasm-kernels.js';

// The relaxed-SIMD micro-kernel is an experiment (src/bench/fma-bench.ts), not shipped; this keeps it correct.
describe('wasm kernels with the relaxed_madd micro-kernel', () => {
  const reference = createReferenceKernels();
  let kernels: WasmKernels;

  beforeAll(async () => {
    // Node 20 compiles relaxed SIMD only behind this V8 flag, set before the module is compiled.
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    kernels = createWasmKernels({ module: await compileKernelsWasm({ fma: true }) });
  });

  it('matches the reference on odd shapes with every transpose/accumulate option', () => {
    for (const [m, n, k] of ODD_SHAPES) {
      for (const opts of ALL_OPTIONS) {
        const a = seeded(m * k, m + 7 * k);
        const b = seeded(k * n, n + 3 * k);
        const c = seeded(m * n, 11);
        const expected = c.slice();
        reference.matmul(a, b, expected, m, n, k, opts);
        kernels.matmul(a, b, c, m, n, k, opts);
        expectClose(c, expected);
      }
    }
  });
});
