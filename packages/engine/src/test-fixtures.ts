// Test fixtures: tiny model configs and a small real text (not part of the build).

import { createModelConfig, type ModelConfig } from './config.js';
import type { Example } from './data.js';

/** A one-layer byte-vocabulary model that trains in well under a second per few dozen steps. */
export const TINY_CONFIG: ModelConfig = createModelConfig({ nLayer: 1, nEmbd: 32, nHead: 2, nPositions: 32 });

/** tokenizer.json as the engine wrote it before the Hugging Face tokenizers format (cached folders hold it). */
export const LEGACY_TOKENIZER_JSON = {
  type: 'tuning-arena-byte',
  version: 1,
  vocab_size: 260,
  byte_offset: 0,
  special_tokens: { bos: 256, eos: 257, pad: 258, sep: 259 },
} as const;

/** Opening of "A Tale of Two Cities" (public domain). */
export const REAL_TEXT =
  'It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of ' +
  'foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, ' +
  'it was the season of Darkness, it was the spring of hope, it was the winter of despair, we had ' +
  'everything before us, we had nothing before us, we were all going direct to Heaven, we were all going ' +
  'direct the other way - in short, the period was so far like the present period, that some of its ' +
  'noisiest authorities insisted on its being received, for good or for evil, in the superlative degree ' +
  'of comparison only. There were a king with a large jaw and a queen with a plain face, on the throne of ' +
  'England; there were a king with a large jaw and a queen with a fair face, on the throne of France. In ' +
  'both countries it was clearer than crystal to the lords of the State preserves of loaves and fishes, ' +
  'that things in general were settled for ever.';

/** Small arithmetic examples: "a+b=" -> sum. */
export function additionExamples(n: number, offset = 0): Example[] {
  return Array.from({ length: n }, (_, i) => {
    const a = (i * 7 + offset) % 10;
    const b = (i * 3 + 2 * offset + 1) % 10;
    return { prompt: `${a}+${b}=`, answer: String(a + b) };
  });
}
