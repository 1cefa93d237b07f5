import { describe, expect, it } from 'vitest';
import { createParamSet, layoutTensors } from '../params.js';
import { createBestWeights } from './best-weights.js';

const { specs } = layoutTensors([{ name: 'w', shape: [2], decay: true }]);

describe('best weights', () => {
  it('keeps the weights of the lowest loss and puts them back on restore', () => {
    const params = createParamSet(specs, Float32Array.from([1, 1]));
    const best = createBestWeights(params, () => {});
    best.offer(0, 5);
    params.data.set([2, 2]);
    best.offer(3, 4);
    params.data.set([3, 3]);
    best.offer(6, 4.5);
    params.data.set([4, 4]);
    expect([best.bestLoss, best.keptStep, best.validatedAt]).toEqual([4, 3, 6]);
    best.restore();
    expect(Array.from(params.data)).toEqual([2, 2]);
  });

  it('reports each new best after step 0 only, and ignores a NaN loss', () => {
    const params = createParamSet(specs, Float32Array.from([1, 1]));
    const reports: number[][] = [];
    const best = createBestWeights(params, (step, loss) => reports.push([step, loss]));
    best.offer(0, 3);
    best.offer(2, Number.NaN);
    best.offer(4, 2);
    best.offer(6, 2);
    expect(reports).toEqual([[4, 2]]);
    expect(best.keptStep).toBe(4);
  });

  it('keeps the starting weights until a pass beats them', () => {
    const params = createParamSet(specs, Float32Array.from([1, 1]));
    const best = createBestWeights(params, () => {});
    expect([best.bestLoss, best.keptStep, best.validatedAt]).toEqual([Infinity, 0, undefined]);
    params.data.set([9, 9]);
    best.restore();
    expect(Array.from(params.data)).toEqual([1, 1]);
  });
});
