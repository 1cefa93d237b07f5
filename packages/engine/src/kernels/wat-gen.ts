// Assembles the kernels' WebAssembly text module from the generator pieces beside it.
// Produces text only; compile-wat.ts turns it into bytes with wabt (a build-time dependency).

import { activationsWat } from './wat-activations.js';
import { driverWat } from './wat-driver.js';
import { layerNormWat } from './wat-layer-norm.js';
import { matmulWat } from './wat-matmul.js';
import { optimizerWat } from './wat-optimizer.js';
import { softmaxWat } from './wat-softmax.js';

/** Options of the generated module (tuning knobs for benchmarks). */
export interface WatOptions {
  /** K-loop unroll factor of the micro-kernel. */
  unroll?: number;
  /** M block of the driver (multiple of 4). */
  blockM?: number;
  /** K block of the driver. */
  blockK?: number;
  /**
   * Micro-kernel with `f32x4.relaxed_madd` (relaxed SIMD; Node 20 needs V8's
   * `--experimental-wasm-relaxed-simd`). Experiment only: it measured no faster on the AVX-512 dev box.
   */
  fma?: boolean;
}

/** Default M and K blocks of the driver (measured flat between 32 and 256). */
const DEFAULT_BLOCKS = { blockM: 64, blockK: 256 } as const;

/** Pages of 64 KiB the shared memory may grow to (4 GiB, the wasm32 limit). */
export const MAX_MEMORY_PAGES = 65536;

/** The kernels module as WAT text; it imports a shared memory as `env.memory`. */
export function generateKernelsWat(opts: WatOptions = {}): string {
  return `(module
(import "env" "memory" (memory 1 ${MAX_MEMORY_PAGES} shared))
${matmulWat(opts)}
${driverWat(opts.blockM ?? DEFAULT_BLOCKS.blockM, opts.blockK ?? DEFAULT_BLOCKS.blockK)}
${activationsWat()}
${softmaxWat()}
${layerNormWat()}
${optimizerWat()}
)
`;
}
