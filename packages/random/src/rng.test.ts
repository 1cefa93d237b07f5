import { describe, expect, it } from 'vitest';
import { createRng, createSeededRng, deriveSeed } from './rng.js';

describe('seeded random sources', () => {
  // Goldens taken from the engine's and the datasets' generators before they became this one: base models,
  // job splits and transforms must come out the same as before.
  it('reproduces the engine generator for numeric seeds', () => {
    const r = createRng(42);
    expect([r.nextUint32(), r.nextUint32(), r.uniform(), r.normal(), r.normal(), r.int(1000)]).toEqual([
      1028872839, 2516511472, 0.09323416277766228, -1.6994458822667327, 0.5866069732637591, 835,
    ]);
    expect(createRng(2 ** 40 + 7).nextUint32()).toBe(1325557927);
    expect(deriveSeed(7, 'lora')).toBe(3502844394);
  });

  it('reproduces the datasets generator for string seeds, forks included', () => {
    const q = createSeededRng('job-secret');
    expect([
      q.uniform(),
      q.int(100),
      q.range(5, 9),
      q.pick(['a', 'b', 'c']),
      q.shuffle([1, 2, 3, 4, 5, 6]),
    ]).toEqual([0.6449121567420661, 26, 5, 'c', [4, 1, 3, 6, 5, 2]]);
    expect(q.fork('test').uniform()).toBe(0.6008378188125789);
  });

  it('refuses to pick from nothing and keeps forks independent of use', () => {
    expect(() => createRng(1).pick([])).toThrow(RangeError);
    const a = createSeededRng('s');
    a.uniform();
    expect(a.fork('x').uniform()).toBe(createSeededRng('s').fork('x').uniform());
  });
});
