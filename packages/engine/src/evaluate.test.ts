import { describe, expect, it } from 'vitest';
import { EngineError } from './errors.js';
import { evaluate } from './evaluate.js';
import { createModel } from './model.js';
import { additionExamples, TINY_CONFIG } from './test-fixtures.js';

describe('evaluate', () => {
  const model = createModel(TINY_CONFIG, { seed: 5 });
  const examples = [
    { prompt: 'short', answer: 'a' },
    { prompt: 'a much longer prompt than the others', answer: 'and answer' },
    ...additionExamples(5),
  ];

  it('gives each example the same loss alone as inside padded, length-sorted batches', () => {
    const together = evaluate(model, examples, { batchSize: 3 });
    examples.forEach((ex, i) => {
      const alone = evaluate(model, [ex]);
      expect(together.exampleLosses[i]).toBeCloseTo(alone.meanLoss, 5);
      expect(together.exampleTokenCounts[i]).toBe(alone.tokenCount);
    });
  });

  it('weights the mean by answer tokens (answer bytes plus eos)', () => {
    const r = evaluate(model, examples);
    const total = r.exampleLosses.reduce((s, l, i) => s + l * r.exampleTokenCounts[i]!, 0);
    expect(r.tokenCount).toBe(examples.reduce((n, e) => n + Buffer.byteLength(e.answer) + 1, 0));
    expect(r.meanLoss).toBeCloseTo(total / r.tokenCount, 10);
  });

  it('refuses an empty dataset with code invalid_input', () => {
    expect(() => evaluate(model, [])).toThrow(EngineError);
  });
});
