// The catalogue of named base models: architecture preset, text corpora, seed and training length.
// Two entries share the nano architecture but differ in corpus and seed, so lineage checks have an impostor.
import type { ModelPreset } from '@tuning-arena/engine';
import { ModelError } from './errors.js';

/** How to pretrain one named base model. */
export interface BaseModelSpec {
  readonly name: string;
  /** Engine size preset, optionally overridden (tests use tiny overrides). */
  readonly preset: ModelPreset;
  readonly overrides?: {
    readonly nLayer?: number;
    readonly nEmbd?: number;
    readonly nHead?: number;
    readonly nPositions?: number;
  };
  /** Names of bundled text datasets, interleaved. */
  readonly corpus: readonly string[];
  readonly seed: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly description: string;
}

/** Every named base model; `pnpm models pretrain` builds the `default` ones. */
export const BASE_MODELS: readonly (BaseModelSpec & { readonly default: boolean })[] = [
  {
    name: 'arena-nano',
    preset: 'nano',
    corpus: ['brown', 'moby-dick'],
    seed: 1,
    steps: 1500,
    batchSize: 8,
    learningRate: 3e-3,
    default: true,
    description: 'Demo base: 2 layers, d=64, context 128 (~0.12M parameters), about a minute on 2 cores',
  },
  {
    name: 'arena-nano-moby',
    preset: 'nano',
    corpus: ['moby-dick'],
    seed: 2,
    steps: 1500,
    batchSize: 8,
    learningRate: 3e-3,
    default: true,
    description: 'Same architecture as arena-nano, other corpus and seed: the impostor for lineage checks',
  },
  {
    name: 'arena-micro',
    preset: 'micro',
    corpus: ['brown', 'moby-dick'],
    seed: 3,
    steps: 2500,
    batchSize: 8,
    learningRate: 2e-3,
    default: false,
    description: '2 layers, d=96, context 128 (~0.3M parameters)',
  },
  {
    name: 'arena-reference',
    preset: 'reference',
    corpus: ['brown', 'moby-dick'],
    seed: 4,
    steps: 3000,
    batchSize: 8,
    learningRate: 1.5e-3,
    default: false,
    description: 'The engine benchmark shape: 4 layers, d=128, context 128 (~0.84M parameters)',
  },
];

/** Finds a base model spec by name; throws ModelError('unknown_model'). */
export function getBaseModelSpec(name: string): BaseModelSpec {
  const found = BASE_MODELS.find((spec) => spec.name === name);
  if (found === undefined) {
    throw new ModelError(
      'unknown_model',
      `no base model named ${name}; known: ${BASE_MODELS.map((s) => s.name).join(', ')}`,
    );
  }
  return found;
}
