// Procedural date re-formatting between ISO, US, European dotted and two long English styles.
// Dates are drawn uniformly from 1900-2099; the instruction names the target style.
import type { SeededRng } from '../rng.js';
import type { InstructRow } from '../rows.js';
import type { ProceduralSource } from '../source.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

const FORMATS: readonly (readonly [string, (date: Ymd) => string])[] = [
  ['As YYYY-MM-DD', ({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`],
  ['As MM/DD/YYYY', ({ y, m, d }) => `${pad(m)}/${pad(d)}/${y}`],
  ['As DD.MM.YYYY', ({ y, m, d }) => `${pad(d)}.${pad(m)}.${y}`],
  ['As day month year', ({ y, m, d }) => `${d} ${MONTHS[m - 1]} ${y}`],
  ['As month day, year', ({ y, m, d }) => `${MONTHS[m - 1]} ${d}, ${y}`],
];

/** One date row: a date in one style, rewritten in another. */
export function dateFormatRow(rng: SeededRng): InstructRow {
  const y = rng.range(1900, 2099);
  const m = rng.range(1, 12);
  const d = rng.range(1, new Date(Date.UTC(y, m, 0)).getUTCDate());
  const from = rng.int(FORMATS.length);
  const to = (from + 1 + rng.int(FORMATS.length - 1)) % FORMATS.length;
  // Both indices are below FORMATS.length.
  const [, formatFrom] = FORMATS[from]!;
  const [instruction, formatTo] = FORMATS[to]!;
  return { instruction, input: formatFrom({ y, m, d }), output: formatTo({ y, m, d }) };
}

/** Date re-formatting task family. */
export const dateFormatsSource: ProceduralSource = {
  name: 'date-formats',
  kind: 'procedural',
  source: 'generated',
  license: 'CC0-1.0 (generated)',
  description: 'Rewrite a date in another format',
  generate: dateFormatRow,
  instructionVariants: Object.fromEntries(
    FORMATS.map(([instruction]) => {
      const style = instruction.slice(3);
      return [
        instruction,
        [
          instruction,
          `Rewrite the date as ${style}`,
          `Format: ${style}`,
          `Convert to ${style}`,
          `Date in ${style} form`,
        ],
      ];
    }),
  ),
};
