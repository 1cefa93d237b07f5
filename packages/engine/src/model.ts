// A GPT-2 model value: its config plus its weights, and the seeded GPT-2 initialisation.
// Holds no activations or kernels; forward/backward live in gpt-runner.ts.

import { countParameters, type ModelConfig } from './config.js';
import { createParamSet, gpt2TensorSpecs, type ParamSet } from './params.js';
import { createRng, deriveSeed } from './rng.js';

/** A GPT-2 model: config plus weights (plain JS memory, safe to keep or transfer). */
export interface GptModel {
  readonly config: ModelConfig;
  readonly params: ParamSet;
}

/** Options of `createModel`. */
interface CreateModelOptions {
  /** Seed of the initial weights (default 0). */
  readonly seed?: number;
}

/** Creates a model with GPT-2 initialisation (N(0, 0.02), residual projections scaled by 1/sqrt(2·n_layer)). */
export function createModel(config: ModelConfig, options: CreateModelOptions = {}): GptModel {
  const params = createParamSet(gpt2TensorSpecs(config));
  const rng = createRng(deriveSeed(options.seed ?? 0, 'init'));
  const residualStd = 0.02 / Math.sqrt(2 * config.nLayer);
  for (const spec of params.specs) {
    const view = params.get(spec.name);
    if (
      spec.name.endsWith('ln_1.weight') ||
      spec.name.endsWith('ln_2.weight') ||
      spec.name === 'ln_f.weight'
    ) {
      view.fill(1);
    } else if (spec.shape.length === 2) {
      const std = spec.name.endsWith('c_proj.weight') ? residualStd : 0.02;
      for (let i = 0; i < view.length; i++) view[i] = rng.normal() * std;
    }
  }
  return { config, params };
}

/** Wraps existing weights (laid out as gpt2TensorSpecs) as a model; the buffer is used, not copied. */
export function modelFromWeights(config: ModelConfig, data: Float32Array): GptModel {
  return { config, params: createParamSet(gpt2TensorSpecs(config), data) };
}

/** Deep copy of a model. */
export function cloneModel(model: GptModel): GptModel {
  return modelFromWeights(model.config, model.params.data.slice());
}

/** Number of parameters of a model. */
export function parameterCount(model: GptModel): number {
  return countParameters(model.config);
}
