// Picks the kernels the engine uses when a caller passes none: one shared instance per process.
// createKernels chooses WASM SIMD when its binary is built, else the plain TypeScript reference.

import { createKernels } from './kernels/create-kernels.js';
import type { Kernels } from './kernels/types.js';

let shared: Kernels | undefined;

/** The process-wide default kernels (created on first use). */
export function defaultKernels(): Kernels {
  shared ??= createKernels();
  return shared;
}
