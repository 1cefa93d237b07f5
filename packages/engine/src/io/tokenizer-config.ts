// The files transformers reads beside tokenizer.json: tokenizer_config.json and special_tokens_map.json.
// They name the special tokens and set split_special_tokens, so AutoTokenizer encodes the text of a special
// token as bytes like the engine does. The engine writes them and never reads them back.

import { SPECIAL_KEYS, SPECIAL_TOKEN_TEXT, specialIds, type Tokenizer } from '../tokenizer.js';

/** How transformers serialises an added token. */
function addedToken(content: string) {
  return { content, lstrip: false, normalized: false, rstrip: false, single_word: false };
}

/** The `tokenizer_config.json` object for a byte tokenizer and a context of `modelMaxLength` tokens. */
export function toTokenizerConfig(t: Tokenizer, modelMaxLength: number): Record<string, unknown> {
  const ids = specialIds(t);
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    added_tokens_decoder: Object.fromEntries(
      SPECIAL_KEYS.map((key) => [
        String(ids[key]),
        { ...addedToken(SPECIAL_TOKEN_TEXT[key]), special: true },
      ]),
    ),
    bos_token: SPECIAL_TOKEN_TEXT.bos,
    eos_token: SPECIAL_TOKEN_TEXT.eos,
    pad_token: SPECIAL_TOKEN_TEXT.pad,
    sep_token: SPECIAL_TOKEN_TEXT.sep,
    unk_token: null,
    // Text that spells a special token stays bytes (transformers sets the backend's encode_special_tokens).
    split_special_tokens: true,
    clean_up_tokenization_spaces: false,
    model_max_length: modelMaxLength,
    padding_side: 'right',
    truncation_side: 'left',
  };
}

/** The `special_tokens_map.json` object for a byte tokenizer. */
export function toSpecialTokensMap(): Record<string, unknown> {
  return Object.fromEntries(SPECIAL_KEYS.map((key) => [`${key}_token`, addedToken(SPECIAL_TOKEN_TEXT[key])]));
}
