import { describe, expect, it } from 'vitest';
import { createKernels } from './create-kernels.js';
import { wasmKernelsAvailable } from './load-wasm.js';

describe('createKernels', () => {
  it('gives the reference kernels on request', () => {
    expect(createKernels({ backend: 'reference' }).name).toBe('reference');
  });

  it('defaults to the WASM kernels when they are built', () => {
    expect(createKernels().name).toBe(wasmKernelsAvailable() ? 'wasm-simd' : 'reference');
  });

  it('refuses an unknown backend and extra threads with coded errors', () => {
    expect(() => createKernels({ backend: 'gpu' as 'reference' })).toThrow(
      expect.objectContaining({ code: 'kernels_unknown_backend' }),
    );
    expect(() => createKernels({ backend: 'reference', threads: 4 })).toThrow(
      expect.objectContaining({ code: 'kernels_threads_unsupported' }),
    );
  });
});
