import { createRng } from '@tuning-arena/random';
import { describe, expect, it } from 'vitest';
import type { ExampleLosses, SetLosses, SubmissionFacts } from '../evaluation/facts.js';
import { testLeakRule } from './leak.js';
import { contextFor, submissionFacts } from './test-facts.js';

type Params = typeof testLeakRule.defaults;
type Gains = SetLosses;
const SETS = ['test', 'synthetic', 'trainSample'] as const;
const ROWS = 60;
/** The base of contextFor: mean loss 4 on every set. */
const BASE_LOSS = 4;

/** Row difficulty shared by every model (rows differ; models agree on which are hard). */
const difficulty = Object.fromEntries(
  SETS.map((set, s) => [set, Array.from({ length: ROWS }, (_, i) => 0.3 * Math.sin(i * 1.7 + s))]),
) as Record<(typeof SETS)[number], number[]>;

/** A model with the given gains over the base, its own row noise (log scale) on top of the shared difficulty. */
function model(id: string, gains: Gains, noise = 0.05): { facts: SubmissionFacts; rows: ExampleLosses } {
  const rng = createRng([...id].reduce((h, c) => h * 31 + c.charCodeAt(0), 7));
  const rows = Object.fromEntries(
    SETS.map((set) => [
      set,
      Float32Array.from(difficulty[set], (d) => BASE_LOSS * Math.exp(d - gains[set] + noise * rng.normal())),
    ]),
  ) as unknown as ExampleLosses;
  const mean = (set: (typeof SETS)[number]) => rows[set].reduce((a, b) => a + b, 0) / ROWS;
  const losses = { test: mean('test'), synthetic: mean('synthetic'), trainSample: mean('trainSample') };
  return { facts: submissionFacts(id, { losses }), rows };
}

const baseRows = Object.fromEntries(
  SETS.map((set) => [set, Float32Array.from(difficulty[set], (d) => BASE_LOSS * Math.exp(d))]),
) as unknown as ExampleLosses;

/**
 * A knowledge-like pool: strong fine-tunes gain 1.4 nats on test per nat on synthetic and ~1.04 per nat on
 * their own train rows; a weak one (early in training) gains the same everywhere.
 */
const PEERS = [
  model('h1', { test: 1.4, synthetic: 1.0, trainSample: 1.35 }),
  model('h2', { test: 1.5, synthetic: 1.07, trainSample: 1.45 }),
  model('h3', { test: 1.3, synthetic: 0.93, trainSample: 1.25 }),
  model('weak', { test: 0.3, synthetic: 0.3, trainSample: 0.3 }),
];

function judge(
  judged: ReturnType<typeof model>,
  options: {
    peers?: ReturnType<typeof model>[];
    kind?: 'knowledge' | 'procedural';
    params?: Partial<Params>;
  } = {},
) {
  const members = [...(options.peers ?? PEERS), judged];
  const losses = Object.fromEntries([['base', baseRows], ...members.map((m) => [m.facts.minerId, m.rows])]);
  return testLeakRule.check(
    contextFor<Params>(testLeakRule, judged.facts, options.params ?? {}, {
      pool: members.map((m) => m.facts),
      losses,
      datasetKind: options.kind ?? 'knowledge',
    }),
  );
}

describe('test-leak rule', () => {
  it('passes a fine-tune whose test gain is what its synthetic and train gains predict', () => {
    const outcome = judge(model('s', { test: 1.45, synthetic: 1.03, trainSample: 1.4 }));
    expect(outcome.passed).toBe(true);
    expect(Math.abs(Number(outcome.evidence.excess))).toBeLessThan(0.05);
    expect(outcome.evidence).toMatchObject({
      datasetKind: 'knowledge',
      reference: '4 pool peers that gained on both reference sets',
    });
  });

  it('fails a test gain beyond both predictions, material and far above the rows’ noise', () => {
    // Predicted from synthetic: 1.4 × 1.0; from train: ~1.04 × 1.3. It gained 1.75 on test.
    const outcome = judge(model('s', { test: 1.75, synthetic: 1.0, trainSample: 1.3 }));
    expect(outcome.passed).toBe(false);
    expect(Number(outcome.evidence.syntheticExcess)).toBeCloseTo(0.35, 1);
    expect(Number(outcome.evidence.excess)).toBeGreaterThan(0.5);
    expect(Number(outcome.evidence.z)).toBeGreaterThan(10);
  });

  it('passes the same excess when the rows are too noisy to tell it from chance', () => {
    const noisy = (id: string, gains: Gains) => model(id, gains, 1.2);
    const peers = [
      noisy('n1', { test: 1.4, synthetic: 1.0, trainSample: 1.35 }),
      noisy('n2', { test: 1.5, synthetic: 1.07, trainSample: 1.45 }),
      noisy('n3', { test: 1.3, synthetic: 0.93, trainSample: 1.25 }),
    ];
    const outcome = judge(noisy('s', { test: 1.75, synthetic: 1.0, trainSample: 1.35 }), { peers });
    expect(Number(outcome.evidence.excess)).toBeGreaterThan(0.2);
    expect(Number(outcome.evidence.z)).toBeLessThan(3);
    expect(outcome.passed).toBe(true);
    // The same numbers fail once the operator asks for less significance.
    expect(
      judge(noisy('s', { test: 1.75, synthetic: 1.0, trainSample: 1.35 }), { peers, params: { minZ: 0 } })
        .passed,
    ).toBe(false);
  });

  it('passes a significant excess below the material size of its kind, and uses the procedural one', () => {
    // An excess of ~0.12 nats: above procedural's 0.08, below knowledge's 0.2.
    const judged = model('s', { test: 1.46, synthetic: 1.0, trainSample: 1.35 });
    const knowledge = judge(judged);
    expect(Number(knowledge.evidence.excess)).toBeGreaterThan(0.08);
    expect(Number(knowledge.evidence.excess)).toBeLessThan(0.2);
    expect(Number(knowledge.evidence.z)).toBeGreaterThan(3);
    expect(knowledge.passed).toBe(true);
    const procedural = judge(judged, { kind: 'procedural' });
    expect(procedural.passed).toBe(false);
    expect(procedural.evidence).toMatchObject({ datasetKind: 'procedural', thresholds: { minExcess: 0.08 } });
  });

  it('compares a weakly trained model with the peers at its own stage of training', () => {
    // Early in training test and synthetic gain alike; the strong peers' 1.4 would call this a deficit.
    const weak = model('s', { test: 0.45, synthetic: 0.3, trainSample: 0.3 });
    const outcome = judge(weak);
    expect(Number(outcome.evidence.syntheticRatio)).toBeCloseTo(1, 1);
    expect(outcome.passed).toBe(false);
    // Without the stage weighting (a huge bandwidth) the strong peers decide the ratio.
    const flat = judge(weak, { params: { bandwidth: 100 } });
    expect(Number(flat.evidence.syntheticRatio)).toBeGreaterThan(1.3);
  });

  it('expects no test gain from a set the model got worse on', () => {
    // Worse than the base everywhere: no leak (a negative gain times a ratio above 1 would look like one).
    expect(judge(model('s', { test: -0.4, synthetic: -0.4, trainSample: -0.45 })).passed).toBe(true);
    // Gains on test alone while getting worse on the fresh rows: a leak.
    const onlyTest = judge(model('s', { test: 0.5, synthetic: -0.2, trainSample: 0.4 }));
    expect(onlyTest.passed).toBe(false);
    expect(Number(onlyTest.evidence.syntheticExcess)).toBeCloseTo(0.5, 1);
  });

  it('fails a familiarity ratio below the floor of its kind on its own', () => {
    // test / trainSample = e^−0.17 ≈ 0.84 < 0.85, with an excess below the material size.
    const outcome = judge(model('s', { test: 1.52, synthetic: 1.07, trainSample: 1.35 }), {
      params: { minZ: 1000 },
    });
    expect(Number(outcome.evidence.familiarityRatio)).toBeLessThan(0.85);
    expect(outcome.passed).toBe(false);
    expect(
      judge(model('s', { test: 1.52, synthetic: 1.07, trainSample: 1.35 }), {
        params: {
          minZ: 1000,
          knowledge: { minFamiliarityRatio: 0.8, minExcess: 0.2 },
        },
      }).passed,
    ).toBe(true);
  });

  it('does not judge the excess with too few peers that trained, but keeps the familiarity floor', () => {
    const peers = PEERS.slice(0, 2);
    const leak = judge(model('s', { test: 1.75, synthetic: 1.0, trainSample: 1.6 }), { peers });
    expect(leak.passed).toBe(true);
    expect(leak.evidence.reference).toBe('not judged: 2 pool peers gained on both reference sets, 3 needed');
    expect(leak.evidence.excess).toBeUndefined();
    expect(judge(model('s', { test: 1.75, synthetic: 1.0, trainSample: 1.3 }), { peers }).passed).toBe(false);
  });

  it('gives the same noise and verdict on a re-score, with or without the other submissions judged first', () => {
    const judged = model('s', { test: 1.6, synthetic: 1.0, trainSample: 1.35 });
    expect(judge(judged).evidence.noise).toBe(judge(judged).evidence.noise);
    expect(Number(judge(judged).evidence.noise)).toBeGreaterThan(0);
  });

  it('decides on the excess alone when there are no per-example losses', () => {
    const judged = model('s', { test: 1.75, synthetic: 1.0, trainSample: 1.3 });
    const pool = [...PEERS.map((p) => p.facts), judged.facts];
    const outcome = testLeakRule.check(contextFor<Params>(testLeakRule, judged.facts, {}, { pool }));
    expect(outcome.evidence).toMatchObject({ noise: null, z: null });
    expect(outcome.passed).toBe(false);
  });

  it('fails a submission that was never evaluated, or whose losses are not finite', () => {
    const { losses: _, ...unevaluated } = submissionFacts('s');
    expect(testLeakRule.check(contextFor(testLeakRule, unevaluated)).passed).toBe(false);
    const infinite = submissionFacts('s', {
      losses: { test: 2, synthetic: Number.POSITIVE_INFINITY, trainSample: 2 },
    });
    const pool = [...PEERS.map((p) => p.facts), infinite];
    // However large the excess may be before it counts, an infinite loss fails.
    const lenient = { knowledge: { minFamiliarityRatio: 0, minExcess: 100 } };
    expect(testLeakRule.check(contextFor<Params>(testLeakRule, infinite, lenient, { pool })).passed).toBe(
      false,
    );
    const finite = submissionFacts('s', { losses: { test: 2, synthetic: 2, trainSample: 2 } });
    expect(testLeakRule.check(contextFor<Params>(testLeakRule, finite, lenient, { pool })).passed).toBe(true);
  });
});
