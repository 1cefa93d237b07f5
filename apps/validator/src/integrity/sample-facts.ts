// Facts of an honest, in-time full fine-tune with every field filled, for the integrity tests (through
// test-facts.ts) and the judging benchmark: each states only the numbers it is about. Built, unlike test-*.ts.

import type { SubmissionFacts, WeightFacts } from '../evaluation/facts.js';

/** Weight facts of an honest full fine-tune. */
export function weightFacts(overrides: Partial<WeightFacts> = {}): WeightFacts {
  return {
    configMatches: true,
    relativeDistance: 0.4,
    cosineToBase: 0.95,
    minTensorCosine: 0.8,
    deltaNorm: 3,
    otherBases: [
      {
        modelId: 'impostor',
        weightsSha256: 'sha-imp',
        relativeDistance: 1.3,
        cosine: 0.1,
        deltaDirectionCosine: 0.05,
      },
    ],
    deltaSketch: [1, 0, 0, 0],
    ...overrides,
  };
}

/** Facts of an honest, in-time full fine-tune by `minerId`. */
export function submissionFacts(minerId: string, overrides: Partial<SubmissionFacts> = {}): SubmissionFacts {
  return {
    minerId,
    artifactSha256: `sha-${minerId}`,
    artifactKind: 'full',
    committedAt: '2026-12-01T10:00:00.000Z',
    deadline: '2026-12-01T11:00:00.000Z',
    firstCommittedAt: '2026-12-01T10:00:00.000Z',
    uploaded: true,
    format: {
      ok: true,
      bytes: 500_000,
      files: ['config.json', 'model.safetensors'],
      tensors: 20,
      parameters: 1000,
    },
    losses: { test: 2.1, synthetic: 2.0, trainSample: 2.0 },
    weights: weightFacts(),
    ...overrides,
  };
}
