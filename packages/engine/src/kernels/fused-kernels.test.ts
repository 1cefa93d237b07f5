import { describe, expect, it } from 'vitest';
import { fusedKernels } from './fused-kernels.js';
import { createReferenceKernels } from './reference-kernels.js';
import type { Kernels } from './types.js';

describe('fusedKernels', () => {
  it('fills passes a backend lacks with the reference and keeps the ones it has', () => {
    const calls: string[] = [];
    const { matmul, matmulBatched, alloc } = createReferenceKernels();
    const bare: Kernels = {
      name: 'reference',
      matmul,
      matmulBatched,
      alloc,
      sumRows: (_x, _rows, _cols, out) => {
        calls.push('sumRows');
        out.fill(9);
      },
    };
    const fused = fusedKernels(bare);
    const out = new Float32Array(2);
    fused.sumRows(new Float32Array(4), 2, 2, out);
    expect(calls).toEqual(['sumRows']);
    const y = new Float32Array([1, 2]);
    fused.addBiasResidual(y, new Float32Array([1, 1]), null, 1, 2);
    expect(Array.from(y)).toEqual([2, 3]);
    expect(fusedKernels(bare)).toBe(fused);
  });
});
