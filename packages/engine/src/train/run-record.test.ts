import { describe, expect, it } from 'vitest';
import { createModel } from '../model.js';
import { TINY_CONFIG } from '../test-fixtures.js';
import { createRunRecord, trainResult } from './run-record.js';

const entry = { loss: 1, ms: 10, tokens: 100, applied: true, validationLoss: undefined };

describe('run record', () => {
  it('measures throughput without the first step', () => {
    const record = createRunRecord();
    expect(record.tokensPerSecond).toBe(0);
    record.step({ ...entry, step: 1, ms: 1000, tokens: 5 });
    expect(record.tokensPerSecond).toBe(0);
    record.step({ ...entry, step: 2, ms: 20, tokens: 100 });
    record.step({ ...entry, step: 3, ms: 30, tokens: 150 });
    expect(record.tokensPerSecond).toBe(5000);
  });

  it('keeps the history, the last loss and the skipped steps', () => {
    const record = createRunRecord();
    expect(record.lastLoss).toBeNaN();
    record.step({ ...entry, step: 1, loss: 3, validationLoss: 2.5 });
    record.step({ ...entry, step: 2, loss: 2, applied: false });
    record.finalEval(2, 1.5);
    expect(record.history).toEqual([
      { step: 1, loss: 3, validationLoss: 2.5 },
      { step: 2, loss: 2, validationLoss: undefined },
      { step: 2, loss: 2, validationLoss: 1.5 },
    ]);
    expect([record.lastLoss, record.skippedSteps]).toEqual([2, 1]);
  });

  it('assembles a result, with a best validation loss only when there was validation', () => {
    const record = createRunRecord();
    record.step({ ...entry, step: 1, loss: 0.5 });
    const model = createModel(TINY_CONFIG);
    const end = { steps: 1, stoppedBy: 'deadline' as const, keptStep: 1 };
    const plain = trainResult(record, { ...end, bestValidationLoss: undefined }, { model });
    expect(plain).toEqual({
      skippedSteps: 0,
      steps: 1,
      stoppedBy: 'deadline',
      keptStep: 1,
      finalTrainLoss: 0.5,
      tokensPerSecond: 0,
      history: [{ step: 1, loss: 0.5, validationLoss: undefined }],
      model,
    });
    expect('bestValidationLoss' in plain).toBe(false);
    expect(trainResult(record, { ...end, bestValidationLoss: 0.25 }, { model }).bestValidationLoss).toBe(
      0.25,
    );
  });
});
