import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from './reference-kernels.js';
import { ALL_OPTIONS, expectClose, naiveMatmul, seeded } from './test-matmul-cases.js';

describe('reference kernels', () => {
  const kernels = createReferenceKernels();

  it('matches the definition for every transpose and accumulate combination', () => {
    for (const [m, n, k] of [
      [1, 1, 1],
      [3, 5, 7],
      [6, 2, 9],
    ] as const) {
      for (const opts of ALL_OPTIONS) {
        const a = seeded(m * k, 1);
        const b = seeded(k * n, 2);
        const c = seeded(m * n, 3);
        const expected = c.slice();
        naiveMatmul(a, b, expected, m, n, k, opts);
        kernels.matmul(a, b, c, m, n, k, opts);
        expectClose(c, expected);
      }
    }
  });

  it('runs a batch with strides and leaves the gaps alone', () => {
    const [m, n, k] = [2, 3, 4];
    const a = seeded(2 * 10, 4);
    const b = seeded(2 * 15, 5);
    const c = new Float32Array(2 * 9).fill(7);
    kernels.matmulBatched(a, b, c, 2, m, n, k, { a: 10, b: 15, c: 9 });
    for (let t = 0; t < 2; t++) {
      const expected = new Float32Array(m * n);
      naiveMatmul(a.subarray(t * 10), b.subarray(t * 15), expected, m, n, k);
      expectClose(c.slice(t * 9, t * 9 + m * n), expected);
      expect(Array.from(c.slice(t * 9 + m * n, t * 9 + 9))).toEqual([7, 7, 7]);
    }
  });

  it('refuses operands shorter than their shape', () => {
    expect(() =>
      kernels.matmul(new Float32Array(3), new Float32Array(4), new Float32Array(4), 2, 2, 2),
    ).toThrow(expect.objectContaining({ code: 'shape_mismatch' }));
  });
});
