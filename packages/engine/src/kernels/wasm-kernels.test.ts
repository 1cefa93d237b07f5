import { beforeAll, describe, expect, it } from 'vitest';
import { compileKernelsWasm } from './compile-wat.js';
import { createReferenceKernels } from './reference-kernels.js';
import { ALL_OPTIONS, expectClose, ODD_SHAPES, seeded } from './test-matmul-cases.js';
import type { Kernels, MatmulOptions } from './types.js';
import { createWasmKernels, type WasmKernels } from './wasm-kernels.js';

describe('wasm SIMD kernels', () => {
  const reference = createReferenceKernels();
  let kernels: WasmKernels;
  let bytes: Uint8Array;

  beforeAll(async () => {
    // Compile the generator's current output, so the test never depends on a stale built file.
    bytes = await compileKernelsWasm();
    kernels = createWasmKernels({ module: bytes });
  });

  const compare = (
    make: (length: number) => Float32Array,
    m: number,
    n: number,
    k: number,
    opts: MatmulOptions,
  ) => {
    const a = make(m * k);
    a.set(seeded(m * k, m + 7 * k));
    const b = make(k * n);
    b.set(seeded(k * n, n + 3 * k));
    const c = make(m * n);
    c.set(seeded(m * n, 11));
    const expected = c.slice();
    reference.matmul(a, b, expected, m, n, k, opts);
    kernels.matmul(a, b, c, m, n, k, opts);
    expectClose(c, expected);
  };

  // Checks a triangle mode: op(A) made triangular for 'lower-a'/'upper-a'; only j ≤ i compared for 'lower-c'.
  const compareTriangle = (k1: WasmKernels, m: number, n: number, k: number, opts: MatmulOptions) => {
    const a = k1.alloc(m * k);
    a.set(seeded(m * k, m + k));
    const b = k1.alloc(k * n);
    b.set(seeded(k * n, n + 2 * k));
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const zero = opts.triangle === 'lower-a' ? p > i : opts.triangle === 'upper-a' ? p < i : false;
        if (zero) a[opts.transA ? p * m + i : i * k + p] = 0;
      }
    }
    const c = k1.alloc(m * n);
    c.set(seeded(m * n, 5));
    const expected = c.slice();
    // The reference computes the full product; the triangle is applied to A above or compared below.
    const { triangle: _triangle, ...full } = opts;
    reference.matmul(a, b, expected, m, n, k, full);
    k1.matmul(a, b, c, m, n, k, opts);
    if (opts.triangle === 'lower-c') {
      for (let i = 0; i < m; i++) for (let j = i + 1; j < n; j++) c[i * n + j] = expected[i * n + j]!;
    }
    expectClose(c, expected);
  };
  const TRIANGLE_SHAPES = [
    [1, 1, 1],
    [3, 3, 3],
    [17, 17, 17],
    [129, 129, 129],
    [128, 128, 32],
    [128, 32, 128],
    [17, 40, 70],
    [70, 9, 300],
  ] as const;
  const TRIANGLE_OPTIONS: MatmulOptions[] = (['lower-c', 'lower-a', 'upper-a'] as const).flatMap((triangle) =>
    ALL_OPTIONS.map((o) => ({ ...o, triangle })),
  );

  it('skips triangular work for causal shapes without changing the needed results', () => {
    for (const [m, n, k] of TRIANGLE_SHAPES) {
      for (const opts of TRIANGLE_OPTIONS) compareTriangle(kernels, m, n, k, opts);
    }
  });

  it('matches the reference on odd shapes for plain, transposed and accumulating products', () => {
    for (const [m, n, k] of ODD_SHAPES) {
      for (const opts of ALL_OPTIONS) compare((length) => new Float32Array(length), m, n, k, opts);
    }
  });

  it('matches the reference when every operand lives in wasm memory', () => {
    for (const [m, n, k] of ODD_SHAPES) {
      for (const opts of ALL_OPTIONS) compare((length) => kernels.alloc(length), m, n, k, opts);
    }
  });

  it('honours byteOffset of subarray operands, inside and outside wasm memory', () => {
    for (const make of [
      (length: number) => new Float32Array(length + 5),
      (length: number) => kernels.alloc(length + 5),
    ]) {
      const sub = (length: number) => make(length).subarray(3, 3 + length);
      for (const opts of ALL_OPTIONS) compare(sub, 13, 19, 21, opts);
    }
  });

  it('runs batched products with strides, broadcasts and gaps like the reference', () => {
    const [m, n, k, batch] = [9, 11, 13, 3];
    const cases: { strides: { a: number; b: number; c: number }; opts: MatmulOptions }[] = [
      { strides: { a: m * k, b: k * n, c: m * n }, opts: {} },
      { strides: { a: m * k + 5, b: k * n + 2, c: m * n + 4 }, opts: { transA: true } },
      { strides: { a: m * k, b: 0, c: m * n + 1 }, opts: { transB: true } },
      { strides: { a: m * k, b: k * n, c: 0 }, opts: { accumulate: true } },
    ];
    for (const owner of [reference, kernels] as Kernels[]) {
      for (const { strides, opts } of cases) {
        const span = (stride: number, size: number) => (batch - 1) * stride + size;
        const a = owner.alloc(span(strides.a, m * k));
        a.set(seeded(a.length, 21));
        const b = owner.alloc(span(strides.b, k * n));
        b.set(seeded(b.length, 22));
        const c = owner.alloc(span(strides.c, m * n));
        c.set(seeded(c.length, 23));
        const expected = c.slice();
        reference.matmulBatched(a, b, expected, batch, m, n, k, strides, opts);
        kernels.matmulBatched(a, b, c, batch, m, n, k, strides, opts);
        expectClose(c, expected);
      }
    }
  });

  it('keeps alloc views valid and in place after the memory grows', () => {
    const first = kernels.alloc(1000);
    first.set(seeded(1000, 5));
    const copy = first.slice();
    const big = kernels.alloc(8 * 1024 * 1024);
    big[big.length - 1] = 1;
    expect(Array.from(first)).toEqual(Array.from(copy));
    expect(kernels.owns(first)).toBe(true);
    expect(kernels.owns(big)).toBe(true);
    expect(kernels.owns(new Float32Array(4))).toBe(false);
    kernels.free(big);
  });

  it('hands back zeroed memory after free', () => {
    const a = kernels.alloc(333);
    a.fill(3);
    kernels.free(a);
    const b = kernels.alloc(333);
    expect(b.every((v) => v === 0)).toBe(true);
  });

  it('zeroes C for k = 0 unless accumulating', () => {
    const c = new Float32Array([1, 2, 3, 4]);
    kernels.matmul(new Float32Array(0), new Float32Array(0), c, 2, 2, 0, { accumulate: true });
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
    kernels.matmul(new Float32Array(0), new Float32Array(0), c, 2, 2, 0);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });

  it('refuses bad shapes and more than one thread with coded errors', () => {
    expect(() =>
      kernels.matmul(new Float32Array(3), new Float32Array(4), new Float32Array(4), 2, 2, 2),
    ).toThrow(expect.objectContaining({ code: 'shape_mismatch' }));
    for (const threads of [0, 1.5, 1000]) {
      expect(() => createWasmKernels({ module: bytes, threads })).toThrow(
        expect.objectContaining({ code: 'kernels_threads_unsupported' }),
      );
    }
  });

  it('splits products across worker threads with the same results', async () => {
    const threaded = createWasmKernels({ module: bytes, threads: 3, parallelMinFlops: 0 });
    try {
      await expect.poll(() => threaded.activeThreads(), { timeout: 20_000 }).toBe(3);
      const saved = kernels;
      kernels = threaded;
      try {
        for (const [m, n, k] of ODD_SHAPES) {
          for (const opts of ALL_OPTIONS) compare((length) => threaded.alloc(length), m, n, k, opts);
        }
        for (const [m, n, k] of TRIANGLE_SHAPES) {
          for (const opts of TRIANGLE_OPTIONS) compareTriangle(threaded, m, n, k, opts);
        }
        // Batch split (disjoint C) and row split (all products summed into one C).
        for (const strides of [
          { a: 9 * 13, b: 13 * 11, c: 9 * 11 },
          { a: 9 * 13, b: 13 * 11, c: 0 },
        ]) {
          const a = seeded(5 * 9 * 13, 31);
          const b = seeded(5 * 13 * 11, 32);
          const c = seeded(4 * strides.c + 99, 33);
          const expected = c.slice();
          reference.matmulBatched(a, b, expected, 5, 9, 11, 13, strides, { accumulate: true });
          threaded.matmulBatched(a, b, c, 5, 9, 11, 13, strides, { accumulate: true });
          expectClose(c, expected);
        }
      } finally {
        kernels = saved;
      }
    } finally {
      threaded.close();
    }
  });
});
