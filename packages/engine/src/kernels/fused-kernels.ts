// Completes a Kernels object's optional fused passes with the reference versions, so model code can call
// every fused pass unconditionally whatever backend (or test double) it was given.

import { createReferenceFused } from './reference-fused.js';
import type { FusedKernels, Kernels } from './types.js';

const cache = new WeakMap<Kernels, FusedKernels>();
let reference: FusedKernels | undefined;

/** The fused kernels of `kernels`, with the reference implementation standing in for any it lacks. */
export function fusedKernels(kernels: Kernels): FusedKernels {
  let fused = cache.get(kernels);
  if (!fused) {
    reference ??= createReferenceFused();
    const ref = reference;
    const pick = <K extends keyof FusedKernels>(name: K): FusedKernels[K] =>
      (kernels[name]?.bind(kernels) as FusedKernels[K] | undefined) ?? ref[name];
    fused = {
      biasGeluForward: pick('biasGeluForward'),
      geluBackward: pick('geluBackward'),
      multiply: pick('multiply'),
      addBiasResidual: pick('addBiasResidual'),
      sumRows: pick('sumRows'),
      softmaxRows: pick('softmaxRows'),
      softmaxRowsBackward: pick('softmaxRowsBackward'),
      softmaxCrossEntropyForward: pick('softmaxCrossEntropyForward'),
      layerNormForward: pick('layerNormForward'),
      layerNormBackward: pick('layerNormBackward'),
      adamwUpdate: pick('adamwUpdate'),
      sumSquares: pick('sumSquares'),
      copyStrided: pick('copyStrided'),
    };
    cache.set(kernels, fused);
  }
  return fused;
}
