import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { createModel } from '../model.js';
import { additionExamples, TINY_CONFIG } from '../test-fixtures.js';
import { resolveRunPlan } from './run-plan.js';
import type { TrainOptions } from './train-options.js';

const base = createModel(TINY_CONFIG, { seed: 1 });
const plan = (o: TrainOptions = {}, n = 40) => resolveRunPlan(base, additionExamples(n), o, 1000);
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof EngineError ? error.code : 'other error';
  }
  return 'no error';
};

describe('run plan', () => {
  it('holds out a seeded tenth for validation from 20 examples on, unless validation data is given', () => {
    const held = plan();
    expect([held.trainSeqs.length, held.validSeqs.length, held.hasValid]).toEqual([36, 4, true]);
    expect(plan().validSeqs).toEqual(held.validSeqs);
    expect(plan({ seed: 9 }).validSeqs).not.toEqual(held.validSeqs);
    expect(plan({}, 19).hasValid).toBe(false);
    const given = plan({ validation: additionExamples(3, 5) });
    expect([given.trainSeqs.length, given.validSeqs.length]).toEqual([40, 3]);
  });

  it('bounds the steps by maxSteps, else epochs, else one epoch, or not at all under a deadline', () => {
    // 36 training sequences in batches of 8: 5 steps an epoch.
    expect(plan().maxSteps).toBe(5);
    expect(plan({ epochs: 2.5 }).maxSteps).toBe(13);
    expect(plan({ maxSteps: 3, epochs: 2 }).maxSteps).toBe(3);
    expect(plan({ deadline: 5000 }).maxSteps).toBe(Infinity);
    expect(plan({ deadline: 5000, epochs: 1 }).maxSteps).toBe(5);
  });

  it('warms up for 5 % of a bounded plan (at most 100 steps), 20 steps for an unbounded one', () => {
    expect(plan({ maxSteps: 200 }).warmup).toBe(10);
    expect(plan({ maxSteps: 10_000 }).warmup).toBe(100);
    expect(plan({ deadline: 5000 }).warmup).toBe(20);
    expect(plan({ maxSteps: 200, warmupSteps: 3 }).warmup).toBe(3);
  });

  it('picks the peak rate by method and the deadline margin from the time left', () => {
    expect([plan().peak, plan({ method: 'lora' }).peak, plan({ learningRate: 0.1 }).peak]).toEqual([
      5e-4, 2e-3, 0.1,
    ]);
    expect(plan().marginMs).toBe(0);
    // Started at 1000: 5 % of 99 s is 4950 ms; never under 500 ms.
    expect(plan({ deadline: 100_000 }).marginMs).toBe(4950);
    expect(plan({ deadline: 2000 }).marginMs).toBe(500);
    expect(plan({ deadline: 2000, safetyMarginMs: 7 }).marginMs).toBe(7);
  });

  it('keeps batches within the training set and micro-batches within a batch', () => {
    expect(plan({ batchSize: 64 }).batchSize).toBe(36);
    expect(plan({ batchSize: 4, microBatchSize: 16 }).micro).toBe(4);
    expect(plan({ batchSize: 8, microBatchSize: 3 }).micro).toBe(3);
    const p = plan();
    expect(p.longest).toBe(Math.max(...[...p.trainSeqs, ...p.validSeqs].map((s) => s.tokens.length)));
  });

  it('refuses invalid options and an empty training set with invalid_input', () => {
    expect(refusal(() => plan({ batchSize: 0 }))).toBe('invalid_input');
    expect(refusal(() => plan({ method: 'other' as 'lora' }))).toBe('invalid_input');
    expect(refusal(() => resolveRunPlan(base, [], {}, 0))).toBe('invalid_input');
    expect(refusal(() => plan())).toBe('no error');
  });
});
