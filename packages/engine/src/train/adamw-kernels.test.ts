import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../kernels/reference-kernels.js';
import { createParamSet, layoutTensors } from '../params.js';
import { createAdamW, gradNorm } from './adamw.js';

describe('AdamW through kernels', () => {
  it('updates like the plain loops and frees its moments on release', () => {
    const { specs, length } = layoutTensors([
      { name: 'w', shape: [5, 7], decay: true },
      { name: 'b', shape: [7], decay: false },
    ]);
    const init = Float32Array.from({ length }, (_, i) => Math.sin(i));
    const grads = createParamSet(
      specs,
      Float32Array.from({ length }, (_, i) => Math.cos(i) * 0.1),
    );
    const plain = createParamSet(specs, init.slice());
    const viaKernels = createParamSet(specs, init.slice());
    const kernels = createReferenceKernels();
    const freed: Float32Array[] = [];
    const a = createAdamW(plain, { weightDecay: 0.1 });
    const b = createAdamW(viaKernels, {
      weightDecay: 0.1,
      kernels: { ...kernels, free: (x) => freed.push(x) },
    });
    for (let t = 0; t < 3; t++) {
      a.step(grads, 0.01, 0.5);
      b.step(grads, 0.01, 0.5);
    }
    for (let i = 0; i < length; i++) expect(viaKernels.data[i]).toBeCloseTo(plain.data[i]!, 6);
    expect(gradNorm(grads.data, kernels)).toBeCloseTo(gradNorm(grads.data), 6);
    b.release();
    expect(freed).toHaveLength(2);
  });
});
