// Plain TypeScript kernels: the readable reference that the WASM kernels are tested against.
// Correctness first; it accumulates in float64 and makes no attempt at speed beyond loop order.

import { checkMatmulShape } from './check-shape.js';
import { createReferenceFused } from './reference-fused.js';
import type { BatchStrides, FusedKernels, Kernels, MatmulOptions } from './types.js';

const NO_STRIDES: BatchStrides = { a: 0, b: 0, c: 0 };

function matmulOne(
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  c: Float32Array,
  co: number,
  m: number,
  n: number,
  k: number,
  opts: MatmulOptions,
  row: Float64Array,
): void {
  // op(A)[i][p] and op(B)[p][j] as strides into the stored layouts.
  const aRow = opts.transA ? 1 : k;
  const aCol = opts.transA ? m : 1;
  const bRow = opts.transB ? 1 : n;
  const bCol = opts.transB ? k : 1;
  for (let i = 0; i < m; i++) {
    row.fill(0, 0, n);
    for (let p = 0; p < k; p++) {
      const av = a[ao + i * aRow + p * aCol]!;
      if (av === 0) continue;
      const bp = bo + p * bRow;
      for (let j = 0; j < n; j++) row[j]! += av * b[bp + j * bCol]!;
    }
    const cr = co + i * n;
    if (opts.accumulate) for (let j = 0; j < n; j++) c[cr + j]! += row[j]!;
    else for (let j = 0; j < n; j++) c[cr + j] = row[j]!;
  }
}

/** Creates the plain TypeScript reference kernels. */
export function createReferenceKernels(): Kernels & FusedKernels {
  const matmulBatched: Kernels['matmulBatched'] = (a, b, c, batch, m, n, k, strides, opts = {}) => {
    checkMatmulShape(a, b, c, batch, m, n, k, strides);
    const row = new Float64Array(n);
    for (let t = 0; t < batch; t++) {
      matmulOne(a, t * strides.a, b, t * strides.b, c, t * strides.c, m, n, k, opts, row);
    }
  };
  return {
    ...createReferenceFused(),
    name: 'reference',
    matmul: (a, b, c, m, n, k, opts) => matmulBatched(a, b, c, 1, m, n, k, NO_STRIDES, opts),
    matmulBatched,
    alloc: (length) => new Float32Array(length),
    free: () => {},
  };
}
