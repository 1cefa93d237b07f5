// Byte-level tokenizer: ids 0..255 are raw UTF-8 bytes, then bos, eos, pad and sep specials (vocab 260).
// tokenizer.json is our own small format: {"type":"tuning-arena-byte","version":1,"vocab_size":260,
// "special_tokens":{"bos":256,"eos":257,"pad":258,"sep":259}}. No merges, no normalisation.

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

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Creates the byte tokenizer (specials at 256..259 unless given otherwise). */
function createByteTokenizer(specials = { bos: 256, eos: 257, pad: 258, sep: 259 }): Tokenizer {
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

/** The `tokenizer.json` object describing a tokenizer. */
export function toTokenizerJson(t: Tokenizer): Record<string, unknown> {
  return {
    type: 'tuning-arena-byte',
    version: 1,
    vocab_size: t.vocabSize,
    byte_offset: 0,
    special_tokens: { bos: t.bosId, eos: t.eosId, pad: t.padId, sep: t.sepId },
  };
}

/** Decodes a parsed `tokenizer.json` value. */
export function decodeTokenizerJson(json: unknown): FileResult<Tokenizer> {
  if (typeof json !== 'object' || json === null)
    return fileFailure('tokenizer_not_object', 'expected an object');
  const o = json as Record<string, unknown>;
  if (o.type !== 'tuning-arena-byte' || o.version !== 1) {
    return fileFailure('unsupported_tokenizer', `type ${String(o.type)} version ${String(o.version)}`);
  }
  const s = o.special_tokens as Record<string, unknown> | undefined;
  const ids = ['bos', 'eos', 'pad', 'sep'].map((k) => s?.[k]);
  if (!ids.every((v) => Number.isInteger(v) && (v as number) >= 256 && (v as number) < 65536)) {
    return fileFailure('invalid_special_tokens', 'special token ids must be integers >= 256');
  }
  if (new Set(ids).size !== 4) return fileFailure('invalid_special_tokens', 'special token ids must differ');
  const [bos, eos, pad, sep] = ids as number[];
  const tokenizer = createByteTokenizer({ bos: bos!, eos: eos!, pad: pad!, sep: sep! });
  if (o.vocab_size !== tokenizer.vocabSize) return fileFailure('invalid_vocab_size', 'vocab_size mismatch');
  return { ok: true, value: tokenizer };
}
