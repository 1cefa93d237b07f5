import { prepareJob } from '@tuning-arena/datasets';
import { createModel, createModelConfig, evaluate, train } from '@tuning-arena/engine';
import { describe, expect, it } from 'vitest';

describe('prepared examples in the engine', () => {
  it('fit a 128-byte context and a short fine-tune lowers the test loss', async () => {
    const job = prepareJob({ dataset: 'first-names-gender', seed: 'engine-fit', rows: 300 });
    const config = createModelConfig({ nLayer: 1, nEmbd: 32, nHead: 2, nPositions: 128 });
    const model = createModel(config, { seed: 1 });
    const before = evaluate(model, job.test).meanLoss;
    const result = await train(model, job.train, {
      maxSteps: 80,
      batchSize: 8,
      learningRate: 1e-2,
      seed: 1,
      validationFraction: 0,
    });
    const after = evaluate(result.model, job.test).meanLoss;
    expect(after).toBeLessThan(before - 1);
  });
});
