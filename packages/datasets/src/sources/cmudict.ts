// CMU Pronouncing Dictionary: English word -> ARPAbet phonemes with stress digits.
// Alternative pronunciations ("word(2)"), entries with punctuation and trailing comments are left out.
import { type InstructSource, lazy } from '../source.js';
import { readPackageFile } from './package-dir.js';

const PACKAGE = 'cmu-pronouncing-dictionary';
const INSTRUCTION = 'Pronounce';

function load() {
  const text = readPackageFile(PACKAGE, 'index.js');
  const rows = [];
  for (const match of text.matchAll(/^ {2}"([^"]+)": "([^"]+)",?$/gm)) {
    const [, word, phones] = match;
    if (!/^[a-z][a-z']*$/.test(word)) continue;
    rows.push({ instruction: INSTRUCTION, input: word, output: phones.split('#')[0].trim() });
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
