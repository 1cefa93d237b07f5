// Emoji -> its name, from emojilib's keyword lists (the first keyword is the CLDR short name).
// Skin-tone and other variants that share a name are left out so each row has one answer.
import type { InstructRow } from '../rows.js';
import { type InstructSource, lazy } from '../source.js';
import { readPackageFile } from './package-dir.js';

const PACKAGE = 'emojilib';
const INSTRUCTION = 'Name the emoji';

function load(): InstructRow[] {
  const table = JSON.parse(readPackageFile(PACKAGE, 'dist', 'emoji-en-US.json')) as Record<string, string[]>;
  const rows: InstructRow[] = [];
  const names = new Set<string>();
  for (const [emoji, keywords] of Object.entries(table)) {
    const name = keywords[0]?.replaceAll('_', ' ');
    if (!name || names.has(name)) continue;
    names.add(name);
    rows.push({ instruction: INSTRUCTION, input: emoji, output: name });
  }
  return rows;
}

/** Emoji -> short name (about 1.8k rows). */
export const emojiSource: InstructSource = {
  name: 'emoji-names',
  kind: 'instruct',
  source: `${PACKAGE}@4.0.3`,
  license: 'MIT',
  description: 'Emoji -> its short name',
  rows: lazy(load),
  instructionVariants: {
    [INSTRUCTION]: [
      INSTRUCTION,
      'What is this emoji called',
      'Describe the emoji',
      'Emoji name for',
      'Say the emoji in words',
    ],
  },
};
