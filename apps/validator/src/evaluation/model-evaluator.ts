// One evaluator contract per model family: it scores the base, a LoRA on the base, or full weights on the
// job's three sets and returns mean (token-weighted) and per-example losses. The built-in implementation runs
// the engine in this thread; a PyTorch evaluator for Hugging Face models implements the same interface, so
// scoring and rules never change. It does not parse artifacts (load-artifact.ts does).

import { type Example, evaluate, type GptModel, type Kernels, type LoraAdapter } from '@tuning-arena/engine';
import type { BaseModel } from './base-model.js';
import type { ExampleLosses, SetLosses } from './facts.js';
import type { JobSets } from './job-sets.js';

/** Model families an evaluator can serve. */
type ModelFamily = 'gpt2';

/** What to score: the untouched base, an adapter on it, or full weights of the base's architecture. */
type EvaluatedModel =
  | { kind: 'base' }
  | { kind: 'lora'; adapter: LoraAdapter }
  | { kind: 'full'; model: GptModel };

/** Losses of one model on the three sets. */
export interface SetEvaluation {
  losses: SetLosses;
  exampleLosses: ExampleLosses;
  /** Answer tokens scored over the three sets. */
  tokens: number;
}

/** Evaluates models of one family. */
export interface ModelEvaluator {
  family: ModelFamily;
  evaluate(base: BaseModel, model: EvaluatedModel, sets: JobSets): Promise<SetEvaluation>;
}

/** Options of the engine evaluator. */
interface EngineEvaluatorOptions {
  /** Sequences per forward pass (default 8). */
  batchSize?: number;
  kernels?: Kernels;
}

const SET_NAMES = ['test', 'synthetic', 'trainSample'] as const;

/** The built-in GPT-2 evaluator over the engine's `evaluate`. */
export function createEngineEvaluator(options: EngineEvaluatorOptions = {}): ModelEvaluator {
  const scoreSet = (base: BaseModel, target: EvaluatedModel, examples: readonly Example[]) => {
    // An empty set (a synthetic set the generator could not fill) has no loss.
    if (examples.length === 0) return { mean: Number.NaN, perExample: new Float32Array(0), tokens: 0 };
    const model = target.kind === 'full' ? target.model : base.model;
    const result = evaluate(model, examples, {
      tokenizer: base.tokenizer,
      ...(target.kind === 'lora' && { adapter: target.adapter }),
      ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
      ...(options.kernels !== undefined && { kernels: options.kernels }),
    });
    return {
      mean: result.meanLoss,
      perExample: Float32Array.from(result.exampleLosses),
      tokens: result.tokenCount,
    };
  };
  return {
    family: 'gpt2',
    async evaluate(base, target, sets) {
      const [test, synthetic, trainSample] = SET_NAMES.map((name) => scoreSet(base, target, sets[name])) as [
        ReturnType<typeof scoreSet>,
        ReturnType<typeof scoreSet>,
        ReturnType<typeof scoreSet>,
      ];
      return {
        losses: { test: test.mean, synthetic: synthetic.mean, trainSample: trainSample.mean },
        exampleLosses: {
          test: test.perExample,
          synthetic: synthetic.perExample,
          trainSample: trainSample.perExample,
        },
        tokens: test.tokens + synthetic.tokens + trainSample.tokens,
      };
    },
  };
}
