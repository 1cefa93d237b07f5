import { createRng } from '@tuning-arena/engine';
import { describe, expect, it } from 'vitest';
import type { ExampleLosses, SubmissionFacts } from '../evaluation/facts.js';
import { geometricMean } from './quality.js';
import { scoreStoredJob } from './score-stored-job.js';

const losses = (level: number, n = 50): ExampleLosses => ({
  test: Float32Array.from({ length: n }, (_, i) => level + 0.05 * Math.sin(i)),
  synthetic: Float32Array.from({ length: n }, (_, i) => level + 0.1 + 0.05 * Math.cos(i)),
  trainSample: Float32Array.from({ length: n }, () => level - 0.1),
});
const facts = (minerId: string, level: number): SubmissionFacts => ({
  minerId,
  artifactSha256: minerId.padEnd(64, '0'),
  artifactKind: 'lora',
  committedAt: '2026-12-01T10:00:00.000Z',
  deadline: '2026-12-01T10:01:00.000Z',
  firstCommittedAt: '2026-12-01T10:00:00.000Z',
  uploaded: true,
  format: { ok: true, bytes: 10, files: [], tensors: 1, parameters: 1 },
  losses: { test: level, synthetic: level + 0.1, trainSample: level - 0.1 },
});
const rng = createRng(1);
const uniform = () => rng.uniform();

describe('scoring a stored job', () => {
  it('judges each submission, scores misses, keeps the pool at geometric mean 1 and bounds it by the base', () => {
    const scores = scoreStoredJob({
      base: {
        facts: { modelId: 'b', weightsSha256: 'w', losses: { test: 2, synthetic: 2.1, trainSample: 2 } },
        losses: losses(2),
      },
      accepted: [
        { minerId: 'honest-a', facts: facts('honest-a', 1.0), losses: losses(1.0) },
        { minerId: 'honest-b', facts: facts('honest-b', 1.2), losses: losses(1.2) },
        { minerId: 'copy', facts: facts('copy', 1.0), losses: losses(1.0) },
        { minerId: 'absent', facts: undefined, losses: undefined },
      ],
      settings: { weightTest: 0.5, tau: 0.1, missFactor: 0.5 },
      judge: (submission) => [
        {
          rule: 'duplicate',
          passed: submission.minerId !== 'copy',
          action: 'zero',
          evidence: { of: 'honest-a' },
        },
      ],
      uniform,
      resamples: 200,
    });
    const byMiner = Object.fromEntries(scores.map((s) => [s.minerId, s]));
    expect(byMiner.copy).toMatchObject({ status: 'zeroed', quality: 0, interval: null });
    expect(byMiner.copy?.flags.map((f) => f.rule)).toEqual(['duplicate']);
    expect(byMiner.absent).toMatchObject({ status: 'missed', quality: 0.5, test: null, verdicts: [] });
    expect(geometricMean([byMiner['honest-a']?.quality ?? 0, byMiner['honest-b']?.quality ?? 0])).toBeCloseTo(
      1,
      9,
    );
    const [lo, hi] = byMiner['honest-a']?.interval ?? [0, 0];
    expect(lo).toBeLessThan(hi);
    expect(hi).toBeLessThan(0);
    expect(byMiner['honest-a']?.verdicts).toHaveLength(1);
  });
});
