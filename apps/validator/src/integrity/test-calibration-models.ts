// Test helper for integrity.calibration.test.ts: trains tiny real models with the engine (a base, an impostor
// base, honest and cheating fine-tunes of a job) and measures the facts evaluation would store for them. The
// facts are computed here the way evaluation/ should compute them; it is test code, not the evaluator.

import { getDataset, makeSyntheticSet, type PreparedJob, prepareJob } from '@tuning-arena/datasets';
import {
  adapterDelta,
  BYTE_TOKENIZER,
  createModel,
  createModelConfig,
  type Example,
  evaluate,
  type GptModel,
  type LoraAdapter,
  mergeAdapter,
  modelDelta,
  modelFromWeights,
  train,
} from '@tuning-arena/engine';
import type { BaseFacts, ExampleLosses, SubmissionFacts, WeightFacts } from '../evaluation/facts.js';
import type { LoadedArtifact } from '../evaluation/load-artifact.js';
import { computeWeightFacts } from '../evaluation/weight-facts.js';

/** The tiny architecture every calibration model shares. */
const CALIBRATION_CONFIG = createModelConfig({ preset: 'nano', nLayer: 1, nEmbd: 32, nHead: 2 });

/** A seeded uniform generator (mulberry32), for noise and sketches. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pretrains a base briefly on a bundled corpus. */
export async function pretrain(
  corpus: 'brown' | 'moby-dick',
  seed: number,
  steps: number,
): Promise<GptModel> {
  const source = getDataset(corpus);
  const documents = source.kind === 'text' ? source.documents() : [];
  const text = documents.slice(seed * 50, seed * 50 + 300).join('\n');
  const init = createModel(CALIBRATION_CONFIG, { seed });
  return (await train(init, { text }, { maxSteps: steps, batchSize: 8, learningRate: 3e-3, seed })).model;
}

/** w = a·x + (1 − a)·y, tensor by tensor. */
export function blend(x: GptModel, y: GptModel, a: number): GptModel {
  return modelFromWeights(
    x.config,
    x.params.data.map((value, i) => a * value + (1 - a) * y.params.data[i]!),
  );
}

/** Adds N(0, (scale·std_t)²) noise to every tensor t (std over the tensor's own values). */
export function perturb(model: GptModel, scale: number, seed: number): GptModel {
  const random = seededRandom(seed);
  const data = model.params.data.slice();
  for (const spec of model.params.specs) {
    const view = data.subarray(spec.offset, spec.offset + spec.size);
    const mean = view.reduce((a, b) => a + b, 0) / view.length;
    const std = Math.sqrt(view.reduce((a, b) => a + (b - mean) ** 2, 0) / view.length) || 1e-3;
    for (let i = 0; i < view.length; i++) {
      const gauss = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
      view[i] = view[i]! + scale * std * gauss;
    }
  }
  return modelFromWeights(model.config, data);
}

/** A job's sets: train (sent), test (hidden), synthetic (made after the deadline), a train sample. */
export interface CalibrationJob {
  prepared: PreparedJob;
  train: readonly Example[];
  test: readonly Example[];
  synthetic: readonly Example[];
  trainSample: readonly Example[];
}

/** Prepares a small job of a bundled dataset with its synthetic set. */
export async function calibrationJob(dataset: string, rows: number): Promise<CalibrationJob> {
  const prepared = prepareJob({ dataset, seed: `calibration-${dataset}`, rows });
  const synthetic = (await makeSyntheticSet(prepared, { seed: `synthetic-${dataset}` })).examples;
  return {
    prepared,
    train: prepared.train,
    test: prepared.test,
    synthetic,
    trainSample: prepared.train.slice(0, prepared.test.length),
  };
}

/** Per-example losses of a model on a job's three sets. */
function measureLosses(model: GptModel, job: CalibrationJob): ExampleLosses {
  const run = (set: readonly Example[]) => Float32Array.from(evaluate(model, set).exampleLosses);
  return { test: run(job.test), synthetic: run(job.synthetic), trainSample: run(job.trainSample) };
}

function mean(values: Float32Array): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The weight facts of a submission, computed by evaluation's own computeWeightFacts. */
function measureWeights(
  submitted: LoadedArtifact,
  base: GptModel,
  others: readonly { id: string; model: GptModel }[],
): WeightFacts {
  const asBase = (modelId: string, model: GptModel) => ({
    modelId,
    weightsSha256: `sha-${modelId}`,
    model,
    tokenizer: BYTE_TOKENIZER,
  });
  const facts = computeWeightFacts(
    asBase('base', base),
    submitted,
    others.map((other) => asBase(other.id, other.model)),
  );
  // blendFraction is an optional fact evaluation does not fill yet: ⟨W − B, O − B⟩ / ‖O − B‖².
  const delta =
    submitted.kind === 'full' ? modelDelta(base, submitted.model) : adapterDelta(base, submitted.adapter);
  facts.otherBases.forEach((fact, index) => {
    const towards = modelDelta(base, others[index]!.model);
    let dot = 0;
    let norm = 0;
    for (let i = 0; i < towards.length; i++) {
      dot += delta[i]! * towards[i]!;
      norm += towards[i]! * towards[i]!;
    }
    fact.blendFraction = dot / norm;
  });
  return facts;
}

/** A measured submission: its facts and per-example losses. */
export interface MeasuredSubmission {
  facts: SubmissionFacts;
  losses: ExampleLosses;
}

/** Measures a submission (a full model, or an adapter merged into the base) as evaluation would. */
export function measureSubmission(
  name: string,
  submitted: { model: GptModel } | { adapter: LoraAdapter },
  base: GptModel,
  others: readonly { id: string; model: GptModel }[],
  job: CalibrationJob,
  committedAt: string,
): MeasuredSubmission {
  const loaded: LoadedArtifact =
    'model' in submitted
      ? { kind: 'full', model: submitted.model }
      : { kind: 'lora', adapter: submitted.adapter };
  const effective = 'model' in submitted ? submitted.model : mergeAdapter(base, submitted.adapter);
  const losses = measureLosses(effective, job);
  const facts: SubmissionFacts = {
    minerId: name,
    artifactSha256: `sha-${name}`,
    artifactKind: 'model' in submitted ? 'full' : 'lora',
    committedAt,
    deadline: '2026-12-01T12:00:00.000Z',
    firstCommittedAt: committedAt,
    uploaded: true,
    format: { ok: true, bytes: 1000, files: [], tensors: 1, parameters: 1 },
    losses: {
      test: mean(losses.test),
      synthetic: mean(losses.synthetic),
      trainSample: mean(losses.trainSample),
    },
    weights: measureWeights(loaded, base, others),
  };
  if ('adapter' in submitted) {
    facts.format.loraRank = submitted.adapter.config.r;
    facts.format.targetModules = [...submitted.adapter.config.targetModules];
  }
  return { facts, losses };
}

/** The base's facts on a job. */
export function measureBase(
  base: GptModel,
  job: CalibrationJob,
): { facts: BaseFacts; losses: ExampleLosses } {
  const losses = measureLosses(base, job);
  return {
    facts: {
      modelId: 'calibration-base',
      weightsSha256: 'sha-base',
      losses: {
        test: mean(losses.test),
        synthetic: mean(losses.synthetic),
        trainSample: mean(losses.trainSample),
      },
    },
    losses,
  };
}
