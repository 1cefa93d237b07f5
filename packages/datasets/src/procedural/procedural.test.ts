import { describe, expect, it } from 'vitest';
import { createSeededRng } from '../rng.js';
import { arithmeticRow } from './arithmetic.js';
import { dateFormatRow } from './date-formats.js';
import { stringTransformRow } from './string-transforms.js';
import { unitConversionRow } from './unit-conversion.js';

const rows = (generate: typeof arithmeticRow, seed: string, n = 300) => {
  const rng = createSeededRng(seed);
  return Array.from({ length: n }, () => generate(rng));
};

describe('procedural task families', () => {
  it('compute correct arithmetic', () => {
    for (const row of rows(arithmeticRow, 'a')) {
      const [a, op, b] = row.input.split(' ');
      const value =
        op === '+' ? Number(a) + Number(b) : op === '-' ? Number(a) - Number(b) : Number(a) * Number(b);
      expect(row.output).toBe(String(value));
    }
  });

  it('reformat dates without changing the day', () => {
    for (const row of rows(dateFormatRow, 'd')) {
      const parse = (text: string) =>
        new Date(`${text.replace(/^(\d\d)\.(\d\d)\.(\d{4})$/, '$3-$2-$1')}T00:00:00Z`).getTime() ||
        Date.parse(`${text} UTC`);
      expect(parse(row.output), `${row.input} -> ${row.output}`).toBe(parse(row.input));
    }
  });

  it('apply the named string transform', () => {
    for (const row of rows(stringTransformRow, 's')) {
      if (row.instruction === 'Reverse') expect([...row.output].reverse().join('')).toBe(row.input);
      if (row.instruction === 'Count the letters in') expect(Number(row.output)).toBe(row.input.length);
    }
  });

  it('convert units consistently', () => {
    for (const row of rows(unitConversionRow, 'u')) {
      const [value, from, , to] = row.input.split(' ');
      if (from === 'km' && to === 'm')
        expect(Number(row.output.split(' ')[0])).toBeCloseTo(Number(value) * 1000, 6);
      expect(row.output.endsWith(` ${to}`)).toBe(true);
    }
  });

  it('is deterministic per seed and unbounded in variety', () => {
    expect(rows(arithmeticRow, 'x', 50)).toEqual(rows(arithmeticRow, 'x', 50));
    expect(new Set(rows(arithmeticRow, 'y', 1000).map((row) => row.input)).size).toBeGreaterThan(950);
  });
});
