// Procedural string transforms on random lowercase words: reverse, upper-case, sort, count, double.
// Words are random letter strings so the model must learn the transform, not memorise a vocabulary.
import type { SeededRng } from '../rng.js';
import type { InstructRow } from '../rows.js';
import type { ProceduralSource } from '../source.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const TRANSFORMS: readonly (readonly [string, (word: string) => string])[] = [
  ['Reverse', (word) => [...word].reverse().join('')],
  ['Uppercase', (word) => word.toUpperCase()],
  ['Sort the letters of', (word) => [...word].sort().join('')],
  ['Count the letters in', (word) => String(word.length)],
  ['Double each letter of', (word) => [...word].map((c) => c + c).join('')],
  ['Last letter of', (word) => word.slice(-1)],
];

/** One string-transform row over a random 3-8 letter word. */
export function stringTransformRow(rng: SeededRng): InstructRow {
  const length = rng.range(3, 8);
  let word = '';
  for (let i = 0; i < length; i++) word += LETTERS[rng.int(LETTERS.length)];
  const [instruction, apply] = rng.pick(TRANSFORMS);
  return { instruction, input: word, output: apply(word) };
}

/** String-transform task family. */
export const stringTransformsSource: ProceduralSource = {
  name: 'string-transforms',
  kind: 'procedural',
  source: 'generated',
  license: 'CC0-1.0 (generated)',
  description: 'Reverse, upper-case, sort, count or double the letters of a word',
  generate: stringTransformRow,
  instructionVariants: {
    Reverse: ['Reverse', 'Spell backwards', 'Write in reverse order', 'Mirror the letters of'],
    Uppercase: ['Uppercase', 'Capitalise every letter of', 'Write in capitals', 'Make upper case'],
    'Sort the letters of': [
      'Sort the letters of',
      'Alphabetise the letters of',
      'Put in letter order',
      'Order alphabetically',
    ],
    'Count the letters in': [
      'Count the letters in',
      'How many letters in',
      'Length of',
      'Number of characters in',
    ],
    'Double each letter of': [
      'Double each letter of',
      'Repeat every letter of',
      'Stutter each letter of',
      'Write each letter twice',
    ],
    'Last letter of': ['Last letter of', 'Final letter of', 'Which letter ends', 'Ending letter of'],
  },
};
