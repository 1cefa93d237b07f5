// tokenizer.json as Hugging Face's `tokenizers` library reads it: a BPE model with no merges whose vocabulary is
// the 256 byte tokens `<0x00>`..`<0xFF>` (byte_fallback turns every character into its UTF-8 bytes), no
// normalizer or pre-tokenizer, and a TemplateProcessing post-processor for the prompt/answer layout.
// The special tokens sit in the model vocabulary, not in `added_tokens`: the library matches added tokens in
// the input text (even with add_special_tokens false), so a row holding the text "<|endoftext|>" would
// otherwise encode as the eos id there and as bytes here. Reading refuses any file that would give other ids.

import { isDeepStrictEqual } from 'node:util';
import { type FileResult, fileFailure } from '../errors.js';
import {
  SPECIAL_KEYS,
  SPECIAL_TOKEN_TEXT,
  type SpecialIds,
  specialIds,
  type Tokenizer,
  tokenizerFromIds,
} from '../tokenizer.js';
import { decodeLegacyTokenizerJson, isLegacyTokenizerJson } from './legacy-tokenizer-json.js';

/** The vocabulary entry of byte `b`, as byte fallback looks it up: `<0x0A>`. */
export function byteToken(b: number): string {
  return `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
}

const BYTE_TOKEN = /^<0x([0-9A-F]{2})>$/;

/** `[bos] A [sep]` for a prompt alone, `[bos] A [sep] B [eos]` for a prompt/answer pair. */
function templateProcessor(ids: SpecialIds): Record<string, unknown> {
  const special = (key: keyof SpecialIds, typeId: number) => ({
    SpecialToken: { id: SPECIAL_TOKEN_TEXT[key], type_id: typeId },
  });
  const sequence = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const used = ['bos', 'sep', 'eos'] as const;
  return {
    type: 'TemplateProcessing',
    single: [special('bos', 0), sequence('A', 0), special('sep', 0)],
    pair: [special('bos', 0), sequence('A', 0), special('sep', 0), sequence('B', 1), special('eos', 1)],
    special_tokens: Object.fromEntries(
      used.map((key) => {
        const text = SPECIAL_TOKEN_TEXT[key];
        return [text, { id: text, ids: [ids[key]], tokens: [text] }];
      }),
    ),
  };
}

/** The `tokenizer.json` object (Hugging Face tokenizers format) describing a byte tokenizer. */
export function toTokenizerJson(t: Tokenizer): Record<string, unknown> {
  const ids = specialIds(t);
  const vocab: Record<string, number> = {};
  for (let b = 0; b < 256; b++) vocab[byteToken(b)] = b;
  for (const key of [...SPECIAL_KEYS].sort((a, b) => ids[a] - ids[b]))
    vocab[SPECIAL_TOKEN_TEXT[key]] = ids[key];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: null,
    post_processor: templateProcessor(ids),
    decoder: { type: 'Sequence', decoders: [{ type: 'ByteFallback' }, { type: 'Fuse' }] },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const unsupported = (issue: string) => fileFailure<never>('unsupported_tokenizer', issue);

/** Why a BPE model section would not give byte ids, or undefined when it does. */
function modelProblem(m: Record<string, unknown>): string | undefined {
  if (m.type !== 'BPE') return `model type ${String(m.type)}: only a BPE byte vocabulary is supported`;
  if (m.byte_fallback !== true) return 'model.byte_fallback must be true';
  if (m.merges !== undefined && !(Array.isArray(m.merges) && m.merges.length === 0))
    return 'model.merges must be empty';
  // With ignore_merges a whole word found in the vocabulary wins: the text "<0x41>" would become id 65.
  if (m.ignore_merges === true) return 'model.ignore_merges must be false';
  for (const key of ['unk_token', 'continuing_subword_prefix', 'end_of_word_suffix'] as const) {
    if (m[key] !== undefined && m[key] !== null && m[key] !== '') return `model.${key} must be null`;
  }
  if (m.dropout !== undefined && m.dropout !== null && m.dropout !== 0) return 'model.dropout must be null';
  return undefined;
}

/** Collects the special ids from the vocabulary and added_tokens; any other token is refused. */
function collectSpecials(
  vocab: Record<string, unknown>,
  added: unknown,
): FileResult<Partial<Record<keyof SpecialIds, unknown>>> {
  const byText = new Map<string, keyof SpecialIds>(SPECIAL_KEYS.map((k) => [SPECIAL_TOKEN_TEXT[k], k]));
  const found: Partial<Record<keyof SpecialIds, unknown>> = {};
  let bytes = 0;
  for (const [token, id] of Object.entries(vocab)) {
    const byte = BYTE_TOKEN.exec(token);
    if (byte) {
      if (id !== Number.parseInt(byte[1]!, 16)) return unsupported(`vocab ${token} must have id ${byte[1]}`);
      bytes++;
    } else if (byText.has(token)) found[byText.get(token)!] = id;
    else return unsupported(`vocab entry ${JSON.stringify(token)} is neither a byte nor a special token`);
  }
  if (bytes !== 256) return unsupported('vocab must hold the 256 byte tokens <0x00>..<0xFF>');
  if (added !== undefined && added !== null && !Array.isArray(added)) return unsupported('added_tokens');
  for (const entry of (added ?? []) as unknown[]) {
    const content = isObject(entry) ? entry.content : undefined;
    const key = typeof content === 'string' ? byText.get(content) : undefined;
    if (!isObject(entry) || key === undefined) {
      return unsupported(`added token ${JSON.stringify(content)} is not one of the special tokens`);
    }
    if (key in found && found[key] !== entry.id) {
      return fileFailure('invalid_special_tokens', `${String(content)} has two ids`);
    }
    found[key] = entry.id;
  }
  return { ok: true, value: found };
}

function decodeHfTokenizerJson(o: Record<string, unknown>): FileResult<Tokenizer> {
  if (o.normalizer !== undefined && o.normalizer !== null)
    return unsupported('a normalizer changes the bytes');
  if (o.pre_tokenizer !== undefined && o.pre_tokenizer !== null) {
    return unsupported('a pre-tokenizer changes the bytes');
  }
  if (!isObject(o.model)) return unsupported('model must be an object');
  const problem = modelProblem(o.model);
  if (problem) return unsupported(problem);
  if (!isObject(o.model.vocab)) return unsupported('model.vocab must be an object');
  const specials = collectSpecials(o.model.vocab, o.added_tokens);
  if (!specials.ok) return specials;
  const { bos, eos, pad, sep } = specials.value;
  const tokenizer = tokenizerFromIds({ bos, eos, pad, sep });
  if (!tokenizer.ok) return tokenizer;
  const template = templateProcessor(specialIds(tokenizer.value));
  if (
    o.post_processor !== undefined &&
    o.post_processor !== null &&
    !isDeepStrictEqual(o.post_processor, template)
  ) {
    return unsupported('post_processor must be the [bos] A [sep] B [eos] template');
  }
  return tokenizer;
}

/** Decodes a parsed `tokenizer.json`: the Hugging Face file written now, or the project's legacy format. */
export function decodeTokenizerJson(json: unknown): FileResult<Tokenizer> {
  if (!isObject(json)) return fileFailure('tokenizer_not_object', 'expected an object');
  return isLegacyTokenizerJson(json) ? decodeLegacyTokenizerJson(json) : decodeHfTokenizerJson(json);
}
