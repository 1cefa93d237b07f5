// Reads the project's first tokenizer.json format, kept so model folders cached before the Hugging Face
// tokenizers file still load: {"type":"tuning-arena-byte","version":1,"vocab_size":260,"byte_offset":0,
// "special_tokens":{"bos":256,"eos":257,"pad":258,"sep":259}}. Nothing writes it any more.

import { type FileResult, fileFailure } from '../errors.js';
import { type Tokenizer, tokenizerFromIds } from '../tokenizer.js';

/** Whether a parsed tokenizer.json is in the legacy format. */
export function isLegacyTokenizerJson(o: Record<string, unknown>): boolean {
  return 'type' in o && !('model' in o);
}

/** Decodes a legacy tokenizer.json object. */
export function decodeLegacyTokenizerJson(o: Record<string, unknown>): FileResult<Tokenizer> {
  if (o.type !== 'tuning-arena-byte' || o.version !== 1) {
    return fileFailure('unsupported_tokenizer', `type ${String(o.type)} version ${String(o.version)}`);
  }
  if (o.byte_offset !== undefined && o.byte_offset !== 0) {
    return fileFailure('unsupported_tokenizer', 'byte_offset must be 0');
  }
  const s = (o.special_tokens ?? {}) as Record<string, unknown>;
  const tokenizer = tokenizerFromIds({ bos: s.bos, eos: s.eos, pad: s.pad, sep: s.sep });
  if (!tokenizer.ok) return tokenizer;
  if (o.vocab_size !== tokenizer.value.vocabSize) {
    return fileFailure('invalid_vocab_size', 'vocab_size mismatch');
  }
  return tokenizer;
}
