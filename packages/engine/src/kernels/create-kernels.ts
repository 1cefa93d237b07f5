// Backend choice: the WASM SIMD kernels when their binary is built, else the TypeScript reference.
// Asking for 'wasm-simd' explicitly never falls back silently.

import { EngineError } from '../errors.js';
import { wasmKernelsAvailable } from './load-wasm.js';
import { createReferenceKernels } from './reference-kernels.js';
import type { CreateKernelsOptions, Kernels } from './types.js';
import { createWasmKernels } from './wasm-kernels.js';

/** Creates kernels: `backend` if given, else WASM SIMD when built, else the reference. */
export function createKernels(opts: CreateKernelsOptions = {}): Kernels {
  const backend = opts.backend ?? (wasmKernelsAvailable() ? 'wasm-simd' : 'reference');
  if (backend === 'wasm-simd')
    return createWasmKernels(opts.threads === undefined ? {} : { threads: opts.threads });
  if (backend === 'reference') {
    if (opts.threads !== undefined && opts.threads !== 1) {
      throw new EngineError('kernels_threads_unsupported', 'the reference kernels run on one thread');
    }
    return createReferenceKernels();
  }
  throw new EngineError('kernels_unknown_backend', `unknown kernel backend ${String(backend)}`);
}
