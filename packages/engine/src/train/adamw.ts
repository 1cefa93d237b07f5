// AdamW with decoupled weight decay (as torch.optim.AdamW), plus global-norm gradient clipping.
// Moments live in flat buffers laid out like the parameters; decay applies to tensors marked `decay`.

import { fusedKernels } from '../kernels/fused-kernels.js';
import type { Kernels } from '../kernels/types.js';
import type { ParamSet } from '../params.js';

/** AdamW hyper-parameters (torch defaults except weight decay). */
interface AdamWOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly weightDecay?: number;
  /** Kernels that hold the moment buffers and run the update pass (default: plain arrays and loops). */
  readonly kernels?: Kernels;
}

/** An AdamW optimiser bound to one parameter set. */
export interface AdamW {
  /** Applies one update with learning rate `lr` using `gradScale · grads` (same layout as the parameters). */
  step(grads: ParamSet, lr: number, gradScale?: number): void;
  /** Number of updates applied so far. */
  readonly steps: number;
  /** Returns the moment buffers to the kernels they came from; the optimiser is unusable afterwards. */
  release(): void;
}

/** Creates AdamW state for `params`. */
export function createAdamW(params: ParamSet, options: AdamWOptions = {}): AdamW {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const wd = options.weightDecay ?? 0.01;
  const kernels = options.kernels;
  const m = kernels ? kernels.alloc(params.data.length) : new Float32Array(params.data.length);
  const v = kernels ? kernels.alloc(params.data.length) : new Float32Array(params.data.length);
  let t = 0;
  return {
    get steps() {
      return t;
    },
    release() {
      if (kernels?.free) for (const buf of [m, v]) kernels.free(buf);
    },
    step(grads, lr, gradScale = 1) {
      t++;
      const bc1 = 1 - beta1 ** t;
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      const stepSize = lr / bc1;
      const p = params.data;
      const g = grads.data;
      if (kernels) {
        const update = fusedKernels(kernels).adamwUpdate;
        for (const spec of params.specs) {
          const decay = spec.decay ? 1 - lr * wd : 1;
          const [a, e] = [spec.offset, spec.offset + spec.size];
          const step = { beta1, beta2, eps, decay, stepSize, bc2Sqrt, gradScale };
          update(p.subarray(a, e), g.subarray(a, e), m.subarray(a, e), v.subarray(a, e), spec.size, step);
        }
        return;
      }
      for (const spec of params.specs) {
        const decay = spec.decay ? 1 - lr * wd : 1;
        const end = spec.offset + spec.size;
        for (let i = spec.offset; i < end; i++) {
          const gi = g[i]! * gradScale;
          const mi = beta1 * m[i]! + (1 - beta1) * gi;
          const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
          m[i] = mi;
          v[i] = vi;
          p[i] = p[i]! * decay - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
        }
      }
    },
  };
}

/** Global L2 norm of `grads` (accumulated in float64), through `kernels` when given. */
export function gradNorm(grads: Float32Array, kernels?: Kernels): number {
  if (kernels) return Math.sqrt(fusedKernels(kernels).sumSquares(grads, grads.length));
  let sq = 0;
  for (let i = 0; i < grads.length; i++) sq += grads[i]! * grads[i]!;
  return Math.sqrt(sq);
}

/** The factor torch's clip_grad_norm_ applies for a global norm `norm` and limit `maxNorm`. */
export function clipFactor(norm: number, maxNorm: number): number {
  return Number.isFinite(maxNorm) && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
}

/** Scales `grads` so their global L2 norm is at most `maxNorm`; returns the norm before clipping. */
export function clipGradNorm(grads: Float32Array, maxNorm: number): number {
  let sq = 0;
  for (let i = 0; i < grads.length; i++) sq += grads[i]! * grads[i]!;
  const norm = Math.sqrt(sq);
  if (Number.isFinite(maxNorm) && norm > maxNorm) {
    const s = maxNorm / (norm + 1e-6);
    for (let i = 0; i < grads.length; i++) grads[i]! *= s;
  }
  return norm;
}
