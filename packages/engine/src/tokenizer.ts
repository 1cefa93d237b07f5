// Byte-level tokenizer: ids 0..255 are raw UTF-8 bytes, then bos, eos, pad and sep specials (vocab 260).
// Text always encodes as bytes, so a row holding the text of a special token never yields its id.
// Its files (tokenizer.json and the Hugging Face companions) live in io/tokenizer-json.ts.

import { type FileResult, fileFailure } from './errors.js';

/** A byte-level tokenizer with four special tokens. */
export interface Tokenizer {
  readonly vocabSize: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  /** Separates a prompt from its answer; loss is taken on the tokens after it. */
  readonly sepId: number;
  /** UTF-8 bytes of `text` as token ids (no specials added). */
  encode(text: string): number[];
  /** Text of the byte tokens in `ids` (specials dropped, invalid UTF-8 replaced). */
  decode(ids: ArrayLike<number>): string;
}

/** Ids of the four special tokens. */
export interface SpecialIds {
  readonly bos: number;
  readonly eos: number;
  readonly pad: number;
  readonly sep: number;
}

/** The text Hugging Face tools show for each special token (eos as GPT-2 spells it). */
export const SPECIAL_TOKEN_TEXT: Readonly<Record<keyof SpecialIds, string>> = {
  bos: '<|bos|>',
  eos: '<|endoftext|>',
  pad: '<|pad|>',
  sep: '<|sep|>',
};

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Creates the byte tokenizer (specials at 256..259 unless given otherwise). */
export function createByteTokenizer(
  specials: SpecialIds = { bos: 256, eos: 257, pad: 258, sep: 259 },
): Tokenizer {
  const vocabSize = Math.max(specials.bos, specials.eos, specials.pad, specials.sep) + 1;
  return {
    vocabSize,
    bosId: specials.bos,
    eosId: specials.eos,
    padId: specials.pad,
    sepId: specials.sep,
    encode: (text) => Array.from(encoder.encode(text)),
    decode(ids) {
      const bytes: number[] = [];
      for (let i = 0; i < ids.length; i++) if (ids[i]! < 256) bytes.push(ids[i]!);
      return decoder.decode(new Uint8Array(bytes));
    },
  };
}

/** The default byte tokenizer. */
export const BYTE_TOKENIZER: Tokenizer = createByteTokenizer();

/** The special ids of a tokenizer. */
export function specialIds(t: Tokenizer): SpecialIds {
  return { bos: t.bosId, eos: t.eosId, pad: t.padId, sep: t.sepId };
}

/** Special-token names in id order of a Hugging Face file: bos, eos, pad, sep. */
export const SPECIAL_KEYS = ['bos', 'eos', 'pad', 'sep'] as const satisfies readonly (keyof SpecialIds)[];

/** Builds the byte tokenizer for special ids read from a file: distinct integers in [256, 65536). */
export function tokenizerFromIds(ids: Readonly<Record<keyof SpecialIds, unknown>>): FileResult<Tokenizer> {
  const values = SPECIAL_KEYS.map((k) => ids[k]);
  if (!values.every((v) => Number.isInteger(v) && (v as number) >= 256 && (v as number) < 65536)) {
    return fileFailure('invalid_special_tokens', 'special token ids must be integers >= 256');
  }
  if (new Set(values).size !== 4)
    return fileFailure('invalid_special_tokens', 'special token ids must differ');
  const [bos, eos, pad, sep] = values as number[];
  return { ok: true, value: createByteTokenizer({ bos: bos!, eos: eos!, pad: pad!, sep: sep! }) };
}
