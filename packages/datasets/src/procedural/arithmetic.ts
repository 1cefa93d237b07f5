// Procedural arithmetic: addition, subtraction and multiplication of small whole numbers.
// Unlimited fresh rows from a seed; answers are exact integers.
import type { SeededRng } from '../rng.js';
import type { InstructRow } from '../rows.js';
import type { ProceduralSource } from '../source.js';

const INSTRUCTION = 'Compute';

/** One arithmetic row: `a + b`, `a - b` (never negative) or `a * b`. */
export function arithmeticRow(rng: SeededRng): InstructRow {
  const op = rng.int(3);
  if (op === 0) {
    const a = rng.range(0, 999);
    const b = rng.range(0, 999);
    return { instruction: INSTRUCTION, input: `${a} + ${b}`, output: String(a + b) };
  }
  if (op === 1) {
    const a = rng.range(0, 999);
    const b = rng.range(0, a);
    return { instruction: INSTRUCTION, input: `${a} - ${b}`, output: String(a - b) };
  }
  const a = rng.range(2, 99);
  const b = rng.range(2, rng.uniform() < 0.5 ? 9 : 99);
  return { instruction: INSTRUCTION, input: `${a} * ${b}`, output: String(a * b) };
}

/** Arithmetic task family. */
export const arithmeticSource: ProceduralSource = {
  name: 'arithmetic',
  kind: 'procedural',
  source: 'generated',
  license: 'CC0-1.0 (generated)',
  description: 'Add, subtract or multiply whole numbers',
  generate: arithmeticRow,
  instructionVariants: {
    [INSTRUCTION]: [INSTRUCTION, 'Calculate', 'Evaluate', 'Work out', 'What is', 'Solve'],
  },
};
