// CMU Pronouncing Dictionary: English word -> ARPAbet phonemes with stress digits.
// Alternative pronunciations ("word(2)"), entries with punctuation and trailing comments are left out.
import type { InstructRow } from '../rows.js';
import { type InstructSource, lazy } from '../source.js';
import { readPackageFile } from './package-dir.js';

const PACKAGE = 'cmu-pronouncing-dictionary';
const INSTRUCTION = 'Pronounce';

function load(): InstructRow[] {
  const text = readPackageFile(PACKAGE, 'index.js');
  const rows: InstructRow[] = [];
  for (const match of text.matchAll(/^ {2}"([^"]+)": "([^"]+)",?$/gm)) {
    const [, word, phones] = match;
    if (word === undefined || phones === undefined || !/^[a-z][a-z']*$/.test(word)) continue;
    const [pronunciation = ''] = phones.split('#');
    rows.push({ instruction: INSTRUCTION, input: word, output: pronunciation.trim() });
  }
  return rows;
}

/** CMUdict word -> phonemes (about 120k rows). */
export const cmudictSource: InstructSource = {
  name: 'cmudict-phonemes',
  kind: 'instruct',
  source: `${PACKAGE}@3.0.0`,
  license: 'BSD-2-Clause (CMUdict); package ISC',
  description: 'English word -> ARPAbet phonemes (CMU Pronouncing Dictionary)',
  rows: lazy(load),
  instructionVariants: {
    [INSTRUCTION]: [INSTRUCTION, 'Phonemes of', 'ARPAbet for', 'Sound out', 'Transcribe', 'How do you say'],
  },
};
