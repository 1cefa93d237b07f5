import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer as HfTokenizer } from 'tokenizers';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeExample } from '../data.js';
import { createModel } from '../model.js';
import { TINY_CONFIG } from '../test-fixtures.js';
import { BYTE_TOKENIZER, createByteTokenizer, SPECIAL_TOKEN_TEXT, type Tokenizer } from '../tokenizer.js';
import { saveModelDir } from './model-files.js';
import { toTokenizerJson } from './tokenizer-json.js';

// Hugging Face's own tokenizers library (the npm binding of the Rust crate) reads the written files.

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** Text a participant's data could hold: every UTF-8 length, combining marks, controls, lookalikes. */
const EDGE_CASES: readonly string[] = [
  '',
  'a',
  ' leading and trailing ',
  'é',
  'e\u0301',
  'ÿ',
  '中文字符',
  'עברית',
  '😀',
  '👩‍👩‍👧‍👦',
  '🇫🇷',
  '\u{10ffff}',
  '\uffff\ufffe',
  '\ufeffbom',
  '\u0000',
  '\t\n\r\n\u000b\u000c',
  '\u2028\u2029',
  'Ġ▁Ċ',
  '<0x41>',
  '<unk>',
  ...Object.values(SPECIAL_TOKEN_TEXT),
  `a${SPECIAL_TOKEN_TEXT.eos}b${SPECIAL_TOKEN_TEXT.sep}c`,
  'x'.repeat(5000),
];

/** Lone surrogates: both sides write U+FFFD's bytes, so ids agree but the text cannot come back. */
const ILL_FORMED = ['\ud800', 'a\udc00b'];

/** Ids of [bos] prompt [sep] answer [eos] through the library, and the ids of the answer alone. */
async function hfPair(hf: HfTokenizer, prompt: string, answer: string) {
  const encoding = await hf.encode(prompt, answer);
  const ids = encoding.getIds();
  const mask = encoding.getSpecialTokensMask();
  const types = encoding.getTypeIds();
  return { ids, answerIds: ids.filter((_, i) => types[i] === 1 && mask[i] === 0) };
}

/** The engine's ids for an example, never truncated. */
const engineIds = (t: Tokenizer, prompt: string, answer: string) => {
  const seq = encodeExample(t, { prompt, answer }, 1 << 20);
  return [...seq.tokens, seq.targets[seq.targets.length - 1]!];
};

async function checkAgreement(t: Tokenizer, hf: HfTokenizer) {
  for (const prompt of [...EDGE_CASES, ...ILL_FORMED]) {
    for (const answer of [...EDGE_CASES, ...ILL_FORMED]) {
      const { ids, answerIds } = await hfPair(hf, prompt, answer);
      expect(ids).toEqual(engineIds(t, prompt, answer));
      const decoded = await hf.decode(answerIds, false);
      expect(decoded).toBe(ILL_FORMED.includes(answer) ? t.decode(t.encode(answer)) : answer);
    }
    const single = await hf.encode(prompt);
    expect(single.getIds()).toEqual([t.bosId, ...t.encode(prompt), t.sepId]);
  }
}

describe('the Hugging Face tokenizers library', () => {
  it('loads a written tokenizer.json and gives the engine ids on Unicode edge cases', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-hf-tok-'));
    dirs.push(dir);
    await saveModelDir(dir, createModel(TINY_CONFIG));
    const hf = HfTokenizer.fromString(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
    expect(hf.getVocabSize(true)).toBe(BYTE_TOKENIZER.vocabSize);
    await checkAgreement(BYTE_TOKENIZER, hf);
  });

  it('agrees for special ids moved elsewhere in the vocabulary', async () => {
    const moved = createByteTokenizer({ bos: 300, eos: 259, pad: 256, sep: 301 });
    await checkAgreement(moved, HfTokenizer.fromString(JSON.stringify(toTokenizerJson(moved))));
  });

  it('encodes the text of a special token as bytes, with or without the template', async () => {
    const hf = HfTokenizer.fromString(JSON.stringify(toTokenizerJson(BYTE_TOKENIZER)));
    for (const text of Object.values(SPECIAL_TOKEN_TEXT)) {
      for (const addSpecialTokens of [false, true]) {
        const encoding = await hf.encode(text, text, { addSpecialTokens });
        const ids = encoding.getIds().filter((_, i) => encoding.getSpecialTokensMask()[i] === 0);
        expect(ids).toEqual([...BYTE_TOKENIZER.encode(text), ...BYTE_TOKENIZER.encode(text)]);
        expect(ids.every((id) => id < 256)).toBe(true);
      }
    }
  });
});
