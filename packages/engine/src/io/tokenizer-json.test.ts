import { describe, expect, it } from 'vitest';
import { LEGACY_TOKENIZER_JSON } from '../test-fixtures.js';
import { BYTE_TOKENIZER, createByteTokenizer, SPECIAL_TOKEN_TEXT } from '../tokenizer.js';
import { toSpecialTokensMap, toTokenizerConfig } from './tokenizer-config.js';
import { decodeTokenizerJson, toTokenizerJson } from './tokenizer-json.js';

const code = (json: unknown) => {
  const r = decodeTokenizerJson(json);
  return r.ok ? 'ok' : r.error.code;
};

/** The parts of a written tokenizer.json the tests edit. */
interface WrittenJson {
  normalizer: unknown;
  pre_tokenizer: unknown;
  added_tokens: unknown[];
  post_processor: { pair: unknown[] } | null;
  model: Record<string, unknown> & { vocab: Record<string, number> };
}

/** A written tokenizer.json with `edit` applied to a deep copy. */
const edited = (edit: (json: WrittenJson) => void) => {
  const json = JSON.parse(JSON.stringify(toTokenizerJson(BYTE_TOKENIZER)));
  edit(json);
  return json;
};

describe('tokenizer.json', () => {
  it('encodes text as UTF-8 bytes, the text of a special token included', () => {
    expect(BYTE_TOKENIZER.encode('é')).toEqual([0xc3, 0xa9]);
    expect(BYTE_TOKENIZER.encode(SPECIAL_TOKEN_TEXT.eos)).toEqual([...Buffer.from('<|endoftext|>')]);
    expect(BYTE_TOKENIZER.decode([104, 105, BYTE_TOKENIZER.eosId])).toBe('hi');
  });

  it('round-trips the Hugging Face file for the default and for moved special ids', () => {
    for (const t of [BYTE_TOKENIZER, createByteTokenizer({ bos: 300, eos: 259, pad: 256, sep: 301 })]) {
      const back = decodeTokenizerJson(JSON.parse(JSON.stringify(toTokenizerJson(t))));
      if (!back.ok) throw new Error(back.error.code);
      expect([back.value.bosId, back.value.eosId, back.value.padId, back.value.sepId]).toEqual([
        t.bosId,
        t.eosId,
        t.padId,
        t.sepId,
      ]);
      expect(back.value.vocabSize).toBe(t.vocabSize);
    }
  });

  it('still reads the legacy format of models cached before the Hugging Face file', () => {
    const back = decodeTokenizerJson(LEGACY_TOKENIZER_JSON);
    if (!back.ok) throw new Error(back.error.code);
    expect(toTokenizerJson(back.value)).toEqual(toTokenizerJson(BYTE_TOKENIZER));
    expect(code({ ...LEGACY_TOKENIZER_JSON, special_tokens: { bos: 1, eos: 2, pad: 3, sep: 4 } })).toBe(
      'invalid_special_tokens',
    );
    expect(code({ ...LEGACY_TOKENIZER_JSON, vocab_size: 300 })).toBe('invalid_vocab_size');
    expect(code({ ...LEGACY_TOKENIZER_JSON, version: 2 })).toBe('unsupported_tokenizer');
  });

  it('accepts the specials as added tokens too, as transformers re-saves them', () => {
    const json = edited((j) => {
      j.added_tokens = Object.entries(SPECIAL_TOKEN_TEXT).map(([, content], i) => ({
        id: 256 + i,
        content,
        special: true,
      }));
    });
    expect(code(json)).toBe('ok');
    const clash = edited((j) => {
      j.added_tokens = [{ id: 300, content: SPECIAL_TOKEN_TEXT.sep, special: true }];
    });
    expect(code(clash)).toBe('invalid_special_tokens');
  });

  it('refuses files that would give other ids than the byte tokenizer, with codes', () => {
    expect(code([])).toBe('tokenizer_not_object');
    const refusals: ((j: WrittenJson) => void)[] = [
      (j) => (j.normalizer = { type: 'NFC' }),
      (j) => (j.pre_tokenizer = { type: 'ByteLevel' }),
      (j) => (j.model.type = 'WordPiece'),
      (j) => (j.model.byte_fallback = false),
      (j) => (j.model.merges = [['<0x61>', '<0x62>']]),
      (j) => (j.model.ignore_merges = true),
      (j) => (j.model.end_of_word_suffix = '</w>'),
      (j) => (j.model.vocab.a = 300),
      (j) => (j.model.vocab['<0x41>'] = 66),
      (j) => delete j.model.vocab['<0xFF>'],
      (j) => (j.added_tokens = [{ id: 300, content: '<|im_start|>', special: true }]),
      (j) => j.post_processor?.pair.pop(),
    ];
    for (const edit of refusals) expect(code(edited(edit))).toBe('unsupported_tokenizer');
    expect(code(edited((j) => delete j.model.vocab[SPECIAL_TOKEN_TEXT.sep]))).toBe('invalid_special_tokens');
    expect(code(edited((j) => (j.model.vocab[SPECIAL_TOKEN_TEXT.sep] = 256)))).toBe('invalid_special_tokens');
    expect(code(edited((j) => (j.post_processor = null)))).toBe('ok');
  });

  it('names the specials for transformers and keeps their text as bytes there', () => {
    const config = toTokenizerConfig(BYTE_TOKENIZER, 128);
    expect(config).toMatchObject({
      tokenizer_class: 'PreTrainedTokenizerFast',
      split_special_tokens: true,
      eos_token: '<|endoftext|>',
      sep_token: '<|sep|>',
      model_max_length: 128,
      added_tokens_decoder: { '257': { content: '<|endoftext|>', special: true } },
    });
    expect(toSpecialTokensMap()).toMatchObject({ pad_token: { content: '<|pad|>' } });
  });
});
