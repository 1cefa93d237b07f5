// Argument checks shared by every backend: span of each operand against its array length.
// Does no arithmetic beyond bounds; the kernels trust what passes here.

import { EngineError } from '../errors.js';
import type { BatchStrides } from './types.js';

/** Throws EngineError `shape_mismatch` unless every matrix of a (batched) product lies inside its array. */
export function checkMatmulShape(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  batch: number,
  m: number,
  n: number,
  k: number,
  strides: BatchStrides,
): void {
  for (const [name, v] of [
    ['batch', batch],
    ['m', m],
    ['n', n],
    ['k', k],
    ['strides.a', strides.a],
    ['strides.b', strides.b],
    ['strides.c', strides.c],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new EngineError('shape_mismatch', `${name} must be an integer ≥ 0`);
  }
  if (batch === 0) return;
  const need = (stride: number, size: number) => (size === 0 ? 0 : (batch - 1) * stride + size);
  if (a.length < need(strides.a, m * k))
    throw new EngineError('shape_mismatch', 'A is too short for its shape');
  if (b.length < need(strides.b, k * n))
    throw new EngineError('shape_mismatch', 'B is too short for its shape');
  if (c.length < need(strides.c, m * n))
    throw new EngineError('shape_mismatch', 'C is too short for its shape');
}
