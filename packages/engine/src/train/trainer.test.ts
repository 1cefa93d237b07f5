import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { evaluate } from '../evaluate.js';
import { generate } from '../generate.js';
import { createModel } from '../model.js';
import { additionExamples, REAL_TEXT, TINY_CONFIG } from '../test-fixtures.js';
import { train } from './trainer.js';

const trainText = { text: REAL_TEXT.slice(0, 800) };
const validText = { text: REAL_TEXT.slice(800) };

describe('train', () => {
  it('reduces validation loss on a small real text', async () => {
    const base = createModel(TINY_CONFIG, { seed: 1 });
    const before = evaluate(base, validText).meanLoss;
    const checkpoints: { loss: number; weights: Float32Array }[] = [];
    const result = await train(base, trainText, {
      maxSteps: 60,
      batchSize: 8,
      learningRate: 3e-3,
      validation: validText,
      seed: 1,
      onCheckpoint: (c) => checkpoints.push({ loss: c.validationLoss, weights: c.model.params.data }),
    });
    const after = evaluate(result.model, validText).meanLoss;
    expect(before).toBeGreaterThan(5);
    expect(after).toBeLessThan(before - 1.5);
    expect(result.bestValidationLoss).toBeCloseTo(after, 5);
    // Each checkpoint improved on the one before, and the last one is what train() returned.
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.map((c) => c.loss)).toEqual([...checkpoints.map((c) => c.loss)].sort((a, b) => b - a));
    expect(checkpoints.at(-1)!.weights).toEqual(result.model.params.data);
    expect(result.steps).toBe(60);
  });

  it('gives identical weights for the same seed', async () => {
    const base = createModel(TINY_CONFIG, { seed: 2 });
    const run = () => train(base, additionExamples(30), { maxSteps: 8, seed: 5 });
    const [a, b] = [await run(), await run()];
    expect(Buffer.from(a.model.params.data.buffer).equals(Buffer.from(b.model.params.data.buffer))).toBe(
      true,
    );
    const c = await train(base, additionExamples(30), { maxSteps: 8, seed: 6 });
    expect(Buffer.from(a.model.params.data.buffer).equals(Buffer.from(c.model.params.data.buffer))).toBe(
      false,
    );
  });

  it('sums micro-batch gradients to the same update as one full batch', async () => {
    const base = createModel(TINY_CONFIG, { seed: 7 });
    const run = (microBatchSize: number) =>
      train(base, additionExamples(24), { maxSteps: 3, batchSize: 8, microBatchSize, seed: 1 });
    const [whole, parts] = [await run(8), await run(3)];
    const a = whole.model.params.data;
    const b = parts.model.params.data;
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThan(1e-5);
    expect(parts.finalTrainLoss).toBeCloseTo(whole.finalTrainLoss, 5);
  });

  it('trains a LoRA adapter on answers only and leaves the base untouched', async () => {
    // A random base cannot move its logits through LoRA alone (tied wte is frozen): pretrain it first.
    const lines = additionExamples(200, 7)
      .map((e) => `${e.prompt}${e.answer}`)
      .join('\n');
    const { model: base } = await train(
      createModel(TINY_CONFIG, { seed: 3 }),
      { text: lines },
      { maxSteps: 40, learningRate: 1e-2 },
    );
    const snapshot = base.params.data.slice();
    const valid = additionExamples(20, 3);
    const before = evaluate(base, valid).meanLoss;
    const progress: number[] = [];
    const result = await train(base, additionExamples(64), {
      method: 'lora',
      lora: { r: 4, alpha: 8, targetModules: ['c_attn', 'c_proj', 'c_fc'] },
      maxSteps: 40,
      learningRate: 1e-2,
      validation: valid,
      onProgress: (p) => progress.push(p.step),
    });
    expect(base.params.data).toEqual(snapshot);
    const { adapter } = result;
    if (!adapter) throw new Error('the LoRA run returned no adapter');
    const after = evaluate(base, valid, { adapter }).meanLoss;
    expect(after).toBeLessThan(before - 0.5);
    expect(progress).toHaveLength(40);
    // Greedy answers through the adapter are digits, as its training answers were.
    const answers = valid.slice(0, 5).map((e) => generate(base, e.prompt, { adapter, maxTokens: 3 }));
    expect(answers.every((a) => /^\d+$/.test(a))).toBe(true);
  });

  it('ends before the deadline and reports it', async () => {
    const base = createModel(TINY_CONFIG, { seed: 4 });
    let clock = 0;
    // A fake clock that advances 10 ms per reading: every step costs a few readings.
    const now = () => (clock += 10);
    const result = await train(base, trainText, { deadline: 2000, safetyMarginMs: 200, now });
    expect(result.stoppedBy).toBe('deadline');
    expect(clock).toBeLessThan(2000);
    expect(result.steps).toBeGreaterThan(5);
  });

  it('refuses invalid options with code invalid_input', async () => {
    const run = train(createModel(TINY_CONFIG), trainText, { batchSize: 0 });
    await expect(run).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'invalid_input');
  });

  it('rejects with code aborted when its signal fires', async () => {
    const controller = new AbortController();
    const run = train(createModel(TINY_CONFIG), trainText, {
      maxSteps: 1000,
      signal: controller.signal,
      onProgress: (p) => p.step === 3 && controller.abort(),
    });
    await expect(run).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'aborted');
  });
});
