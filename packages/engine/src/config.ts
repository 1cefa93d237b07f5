// GPT-2 model configuration: our camelCase shape, size presets, and the Hugging Face config.json mapping.
// Only the GPT-2 family is supported; dropout is always 0 (the engine trains deterministically).

import { EngineError, type FileResult, fileFailure } from './errors.js';
import { BYTE_TOKENIZER } from './tokenizer.js';

/** Architecture hyper-parameters of a GPT-2 decoder (LM head tied to the token embedding). */
export interface ModelConfig {
  readonly vocabSize: number;
  /** Context length (HF n_positions). */
  readonly nPositions: number;
  readonly nEmbd: number;
  readonly nLayer: number;
  readonly nHead: number;
  readonly layerNormEpsilon: number;
  readonly bosTokenId: number;
  readonly eosTokenId: number;
  readonly padTokenId: number;
}

/** Named sizes from ~0.1M to ~20M parameters (byte vocabulary). */
export const MODEL_PRESETS = {
  /** ~0.1M parameters. */
  nano: { nLayer: 2, nEmbd: 64, nHead: 2, nPositions: 128 },
  /** ~0.3M parameters. */
  micro: { nLayer: 2, nEmbd: 96, nHead: 4, nPositions: 128 },
  /** The benchmark reference: ~0.84M parameters. */
  reference: { nLayer: 4, nEmbd: 128, nHead: 4, nPositions: 128 },
  /** ~4.9M parameters. */
  small: { nLayer: 6, nEmbd: 256, nHead: 8, nPositions: 256 },
  /** ~19M parameters. */
  large: { nLayer: 6, nEmbd: 512, nHead: 8, nPositions: 512 },
} as const satisfies Record<string, Pick<ModelConfig, 'nLayer' | 'nEmbd' | 'nHead' | 'nPositions'>>;

/** Name of a size preset. */
export type ModelPreset = keyof typeof MODEL_PRESETS;

function problems(c: ModelConfig): string[] {
  const out: string[] = [];
  const posInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v <= 0) out.push(`${name} must be a positive integer, got ${v}`);
  };
  posInt(c.vocabSize, 'vocabSize');
  posInt(c.nPositions, 'nPositions');
  posInt(c.nEmbd, 'nEmbd');
  posInt(c.nLayer, 'nLayer');
  posInt(c.nHead, 'nHead');
  if (c.nEmbd % c.nHead !== 0) out.push(`nEmbd ${c.nEmbd} is not divisible by nHead ${c.nHead}`);
  if (!(c.layerNormEpsilon > 0)) out.push('layerNormEpsilon must be > 0');
  for (const k of ['bosTokenId', 'eosTokenId', 'padTokenId'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 0 || c[k] >= c.vocabSize) out.push(`${k} out of vocabulary`);
  }
  return out;
}

/** Builds a validated config from a preset name and/or overrides; throws EngineError('invalid_config'). */
export function createModelConfig(
  options: Partial<ModelConfig> & { preset?: ModelPreset } = {},
): ModelConfig {
  const { preset, ...overrides } = options;
  const base = MODEL_PRESETS[preset ?? 'reference'];
  const config: ModelConfig = {
    vocabSize: BYTE_TOKENIZER.vocabSize,
    layerNormEpsilon: 1e-5,
    bosTokenId: BYTE_TOKENIZER.bosId,
    eosTokenId: BYTE_TOKENIZER.eosId,
    padTokenId: BYTE_TOKENIZER.padId,
    ...base,
    ...overrides,
  };
  const issues = problems(config);
  if (issues.length > 0) throw new EngineError('invalid_config', issues.join('; '));
  return config;
}

/** Number of trainable parameters of a config (tied head counted once). */
export function countParameters(c: ModelConfig): number {
  const d = c.nEmbd;
  return (c.vocabSize + c.nPositions) * d + c.nLayer * (12 * d * d + 13 * d) + 2 * d;
}

/** The transformers release whose config.json and generation_config.json layout the engine writes. */
export const TRANSFORMERS_VERSION = '5.23.0';

/** The Hugging Face `config.json` object for a config (model_type gpt2, GPT2LMHeadModel). */
export function toHfConfig(c: ModelConfig): Record<string, unknown> {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    activation_function: 'gelu_new',
    vocab_size: c.vocabSize,
    n_positions: c.nPositions,
    n_ctx: c.nPositions,
    n_embd: c.nEmbd,
    n_layer: c.nLayer,
    n_head: c.nHead,
    n_inner: null,
    layer_norm_epsilon: c.layerNormEpsilon,
    initializer_range: 0.02,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    scale_attn_weights: true,
    tie_word_embeddings: true,
    bos_token_id: c.bosTokenId,
    eos_token_id: c.eosTokenId,
    pad_token_id: c.padTokenId,
    dtype: 'float32',
    transformers_version: TRANSFORMERS_VERSION,
  };
}

/** The Hugging Face `generation_config.json` object: which ids start, end and pad a generation. */
export function toGenerationConfig(c: ModelConfig): Record<string, unknown> {
  return {
    bos_token_id: c.bosTokenId,
    eos_token_id: c.eosTokenId,
    pad_token_id: c.padTokenId,
    transformers_version: TRANSFORMERS_VERSION,
  };
}

/** Why a GPT-2 config asks for attention the engine does not compute, or undefined. */
function attentionProblem(o: Record<string, unknown>): string | undefined {
  if (o.scale_attn_weights === false) return 'scale_attn_weights false (unscaled attention scores)';
  if (o.scale_attn_by_inverse_layer_idx === true) return 'scale_attn_by_inverse_layer_idx true';
  // reorder_and_upcast_attn only changes the order and precision of the same product; the engine already
  // computes attention in float32, so that flag is the function it runs and is accepted.
  return undefined;
}

/** Decodes a Hugging Face GPT-2 `config.json` value (already JSON-parsed) into a ModelConfig. */
export function decodeHfConfig(json: unknown): FileResult<ModelConfig> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fileFailure('config_not_object', 'config.json must hold a JSON object');
  }
  const o = json as Record<string, unknown>;
  if (o.model_type !== 'gpt2')
    return fileFailure('unsupported_model_type', `model_type ${String(o.model_type)}`);
  const act = o.activation_function ?? 'gelu_new';
  if (act !== 'gelu_new' && act !== 'gelu_pytorch_tanh') {
    return fileFailure('unsupported_activation', `activation_function ${String(act)}`);
  }
  if (o.n_inner !== undefined && o.n_inner !== null && o.n_inner !== 4 * Number(o.n_embd)) {
    return fileFailure('unsupported_config', 'n_inner must be null or 4 * n_embd');
  }
  if (o.tie_word_embeddings === false) return fileFailure('unsupported_config', 'untied LM head');
  if (o.add_cross_attention === true) return fileFailure('unsupported_config', 'cross-attention blocks');
  const attention = attentionProblem(o);
  if (attention) return fileFailure('unsupported_attention_scaling', attention);
  const num = (key: string, fallback?: number): number => {
    const v = o[key] ?? fallback;
    return typeof v === 'number' ? v : Number.NaN;
  };
  const config: ModelConfig = {
    vocabSize: num('vocab_size'),
    nPositions: num('n_positions', num('n_ctx')),
    nEmbd: num('n_embd'),
    nLayer: num('n_layer'),
    nHead: num('n_head'),
    layerNormEpsilon: num('layer_norm_epsilon', 1e-5),
    bosTokenId: num('bos_token_id', BYTE_TOKENIZER.bosId),
    eosTokenId: num('eos_token_id', BYTE_TOKENIZER.eosId),
    padTokenId: num('pad_token_id', num('eos_token_id', BYTE_TOKENIZER.padId)),
  };
  const issues = problems(config);
  return issues.length > 0
    ? { ok: false, error: { code: 'invalid_config', issues } }
    : { ok: true, value: config };
}
