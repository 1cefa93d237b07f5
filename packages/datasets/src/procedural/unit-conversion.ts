// Procedural unit conversion (length, mass, time, temperature) with answers rounded to one decimal.
// Values are small so prompts and answers stay short.
import type { SeededRng } from '../rng.js';
import type { InstructRow } from '../rows.js';
import type { ProceduralSource } from '../source.js';

const INSTRUCTION = 'Convert';

/** Formats a number with at most one decimal and no trailing zero. */
function round1(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

const CONVERSIONS: readonly (readonly [string, string, (v: number) => number, number, number, boolean])[] = [
  ['km', 'm', (v) => v * 1000, 1, 999, true],
  ['m', 'cm', (v) => v * 100, 1, 999, false],
  ['kg', 'g', (v) => v * 1000, 1, 999, true],
  ['h', 'min', (v) => v * 60, 1, 99, false],
  ['min', 's', (v) => v * 60, 1, 99, false],
  ['C', 'F', (v) => (v * 9) / 5 + 32, -40, 100, false],
  ['F', 'C', (v) => ((v - 32) * 5) / 9, -40, 212, false],
  ['in', 'cm', (v) => v * 2.54, 1, 99, false],
  ['mi', 'km', (v) => v * 1.609344, 1, 500, false],
  ['lb', 'kg', (v) => v * 0.45359237, 1, 500, false],
];

/** One conversion row, e.g. `2.5 km to m` -> `2500 m`. */
export function unitConversionRow(rng: SeededRng): InstructRow {
  const [from, to, convert, lo, hi, tenths] = rng.pick(CONVERSIONS);
  const value = tenths ? rng.range(lo * 10, hi * 10) / 10 : rng.range(lo, hi);
  return {
    instruction: INSTRUCTION,
    input: `${round1(value)} ${from} to ${to}`,
    output: `${round1(convert(value))} ${to}`,
  };
}

/** Unit-conversion task family. */
export const unitConversionSource: ProceduralSource = {
  name: 'unit-conversion',
  kind: 'procedural',
  source: 'generated',
  license: 'CC0-1.0 (generated)',
  description: 'Convert lengths, masses, times and temperatures',
  generate: unitConversionRow,
  instructionVariants: {
    [INSTRUCTION]: [INSTRUCTION, 'Express', 'Change units', 'Unit conversion', 'Rewrite in other units'],
  },
};
