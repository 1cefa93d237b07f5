import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileKernelsWasm } from './compile-wat.js';
import { createReferenceKernels } from './reference-kernels.js';
import { expectClose, seeded } from './test-matmul-cases.js';
import { createWasmKernels, type WasmKernels } from './wasm-kernels.js';

const SHAPES: readonly (readonly [number, number])[] = [
  [1, 1],
  [3, 3],
  [5, 17],
  [17, 129],
  [64, 128],
  [2, 259],
];

// With 3 threads and no size threshold every pass splits into row bands across worker threads.
describe.each([1, 3])('wasm SIMD fused kernels on %i thread(s)', (threads) => {
  const reference = createReferenceKernels();
  let kernels: WasmKernels;

  beforeAll(async () => {
    kernels = createWasmKernels({
      module: await compileKernelsWasm(),
      threads,
      ...(threads > 1 ? { parallelMinFlops: 0 } : {}),
    });
    await vi.waitFor(
      () => {
        if (kernels.activeThreads() < threads) throw new Error('worker threads still starting');
      },
      { timeout: 20_000, interval: 10 },
    );
  });

  afterAll(() => kernels.close());

  // Runs `op` on both backends with identical copies of the inputs and compares every buffer afterwards.
  const both = (
    make: 'plain' | 'wasm',
    inputs: Float32Array[],
    op: (k: typeof reference | WasmKernels, bufs: Float32Array[]) => void,
  ) => {
    const ref = inputs.map((b) => b.slice());
    const mine = inputs.map((b) => {
      const copy = make === 'wasm' ? kernels.alloc(b.length) : new Float32Array(b.length);
      copy.set(b);
      return copy;
    });
    op(reference, ref);
    op(kernels, mine);
    for (const [i, b] of mine.entries()) expectClose(b, ref[i]!);
  };

  for (const make of ['plain', 'wasm'] as const) {
    it(`matches the reference for bias + GELU, forward and backward (${make} buffers)`, () => {
      for (const [rows, cols] of SHAPES) {
        const pre = seeded(rows * cols, 1).map((v) => v * 6);
        both(make, [pre, seeded(cols, 2), new Float32Array(rows * cols)], (k, [p, b, o]) =>
          k.biasGeluForward(p!, b!, o!, rows, cols),
        );
        both(make, [pre, seeded(rows * cols, 3), new Float32Array(rows * cols)], (k, [p, d, o]) =>
          k.geluBackward(p!, d!, o!, rows * cols),
        );
        both(make, [pre, seeded(cols, 2), new Float32Array(rows * cols)], (k, [p, b, o]) =>
          k.biasGeluForward(p!, b!, o!, rows, cols, { saveDerivative: true }),
        );
        both(make, [pre, seeded(rows * cols, 3), new Float32Array(rows * cols)], (k, [a, b, o]) =>
          k.multiply(a!, b!, o!, rows * cols),
        );
      }
    });

    it(`matches the reference for bias/residual adds and column sums (${make} buffers)`, () => {
      for (const [rows, cols] of SHAPES) {
        const y = seeded(rows * cols, 4);
        const bias = seeded(cols, 5);
        const res = seeded(rows * cols, 6);
        both(make, [y, bias, res], (k, [a, b, c]) => k.addBiasResidual(a!, b!, c!, rows, cols));
        both(make, [y, bias], (k, [a, b]) => k.addBiasResidual(a!, b!, null, rows, cols));
        both(make, [y, res], (k, [a, c]) => k.addBiasResidual(a!, null, c!, rows, cols));
        both(make, [y, bias], (k, [a, b]) => k.sumRows(a!, rows, cols, b!));
      }
    });

    it(`matches the reference for plain and causal softmax and its backward (${make} buffers)`, () => {
      for (const [rows, cols] of [...SHAPES, [256, 128] as const]) {
        for (const opts of [{}, { scale: 0.125, causal: true }, { scale: 3 }]) {
          const x = seeded(rows * cols, 7).map((v) => v * 40);
          both(make, [x], (k, [a]) => k.softmaxRows(a!, rows, cols, opts));
          const p = x.slice();
          reference.softmaxRows(p, rows, cols, opts);
          both(make, [p, seeded(rows * cols, 8)], (k, [a, b]) =>
            k.softmaxRowsBackward(a!, b!, rows, cols, opts),
          );
        }
      }
    });

    it(`matches the reference for layer norm forward and backward (${make} buffers)`, () => {
      for (const [rows, cols] of SHAPES) {
        const x = seeded(rows * cols, 9).map((v) => v * 3 + 1);
        const gamma = seeded(cols, 10);
        const beta = seeded(cols, 11);
        both(
          make,
          [x, gamma, beta, new Float32Array(rows * cols), new Float32Array(rows), new Float32Array(rows)],
          (k, [a, g, b, o, m, s]) => k.layerNormForward(a!, g!, b!, o!, m!, s!, rows, cols, 1e-5),
        );
        const mean = new Float32Array(rows);
        const rstd = new Float32Array(rows);
        reference.layerNormForward(
          x,
          gamma,
          beta,
          new Float32Array(rows * cols),
          mean,
          rstd,
          rows,
          cols,
          1e-5,
        );
        const dout = seeded(rows * cols, 12);
        const dx = seeded(rows * cols, 13);
        both(
          make,
          [dout, x, gamma, mean, rstd, dx, seeded(cols, 14), seeded(cols, 15)],
          (k, [d, a, g, m, s, o, dg, db]) =>
            k.layerNormBackward(d!, a!, g!, m!, s!, o!, dg!, db!, rows, cols),
        );
        both(make, [dout, x, gamma, mean, rstd, dx], (k, [d, a, g, m, s, o]) =>
          k.layerNormBackward(d!, a!, g!, m!, s!, o!, null, null, rows, cols),
        );
      }
    });
  }

  it('runs AdamW updates and float64 sums of squares like the reference', () => {
    for (const n of [1, 3, 17, 1000, 70_001]) {
      const step = {
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        decay: 0.99,
        stepSize: 0.01,
        bc2Sqrt: 0.3,
        gradScale: 0.5,
      };
      for (const make of ['plain', 'wasm'] as const) {
        both(
          make,
          [seeded(n, 1), seeded(n, 2), seeded(n, 3).map((x) => x * 0.1), seeded(n, 4).map((x) => x * x)],
          (k, [p, g, m, v]) => k.adamwUpdate(p!, g!, m!, v!, n, step),
        );
      }
      const x = seeded(n, 5);
      expect(kernels.sumSquares(x, n)).toBeCloseTo(reference.sumSquares(x, n), 3);
    }
  });

  it('copies strided blocks like the reference (attention head split and merge)', () => {
    const [B, T, H, hd] = [3, 5, 4, 7];
    const width = 3 * H * hd;
    for (const make of ['plain', 'wasm'] as const) {
      // rows [B·T, width] from column 5 -> heads [B, H, T, hd], and back.
      both(make, [seeded(B * T * width, 1), seeded(B * H * T * hd, 2)], (k, [rows, heads]) =>
        k.copyStrided(
          rows!.subarray(5),
          heads!,
          [B, H, T],
          [T * width, hd, width],
          [H * T * hd, T * hd, hd],
          hd,
        ),
      );
      both(make, [seeded(B * H * T * hd, 3), seeded(B * T * width, 4)], (k, [heads, rows]) =>
        k.copyStrided(
          heads!,
          rows!.subarray(5),
          [B, H, T],
          [H * T * hd, T * hd, hd],
          [T * width, hd, width],
          hd,
        ),
      );
      both(make, [seeded(300, 5), seeded(300, 6)], (k, [a, b]) =>
        k.copyStrided(a!, b!, [1, 1, 3], [0, 0, 9], [0, 0, 11], 9),
      );
    }
  });

  it('computes cross-entropy losses and probabilities like the reference', () => {
    for (const [rows, vocab] of [
      [1, 1],
      [7, 260],
      [33, 17],
    ] as const) {
      const logits = seeded(rows * vocab, 16).map((v) => v * 30);
      const targets = Int32Array.from({ length: rows }, (_, r) => (r * 7) % vocab);
      const refLogits = logits.slice();
      const refLoss = new Float64Array(rows);
      reference.softmaxCrossEntropyForward(refLogits, targets, refLoss, rows, vocab);
      const loss = new Float64Array(rows);
      kernels.softmaxCrossEntropyForward(logits, targets, loss, rows, vocab);
      expectClose(logits, refLogits);
      for (let r = 0; r < rows; r++) expect(loss[r]).toBeCloseTo(refLoss[r]!, 4);
    }
  });

  it('keeps exp finite at the extremes of the float range', () => {
    const x = new Float32Array([-1e30, 0, 1e30, -100]);
    kernels.softmaxRows(x, 1, 4);
    expect(Array.from(x)).toEqual([0, 0, 1, 0]);
    const pre = new Float32Array([-200, -30, 30, 200]);
    const out = new Float32Array(4);
    kernels.biasGeluForward(pre, new Float32Array(4), out, 1, 4);
    expect(Array.from(out).map((v) => Math.round(v))).toEqual([-0, -0, 30, 200]);
  });

  it('refuses buffers shorter than their shape with a coded error', () => {
    expect(() => kernels.sumRows(new Float32Array(5), 2, 3, new Float32Array(3))).toThrow(
      expect.objectContaining({ code: 'shape_mismatch' }),
    );
  });
});
