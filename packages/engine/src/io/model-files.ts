// Model directories the Hugging Face way: config.json (gpt2), model.safetensors (HF GPT-2 names, float32,
// Conv1D [in, out]), tokenizer.json (tokenizers format) and, for transformers only, tokenizer_config.json,
// special_tokens_map.json and generation_config.json. Reading needs config.json and model.safetensors, takes
// tokenizer.json when present and ignores the transformers-only files. In-memory encode/decode return
// results; the directory functions wrap them with node:fs and throw EngineError('invalid_file').

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHfConfig, type ModelConfig, toGenerationConfig, toHfConfig } from '../config.js';
import { type FileResult, fileFailure, unwrapDecoded } from '../errors.js';
import { type GptModel, modelFromWeights } from '../model.js';
import { gpt2TensorSpecs } from '../params.js';
import { BYTE_TOKENIZER, type Tokenizer } from '../tokenizer.js';
import { JSON_FILE_LIMIT, readFileLimited } from './read-limited.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsLimits } from './safetensors.js';
import { toSpecialTokensMap, toTokenizerConfig } from './tokenizer-config.js';
import { decodeTokenizerJson, toTokenizerJson } from './tokenizer-json.js';

/** File names inside a model directory. */
export const MODEL_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  specialTokensMap: 'special_tokens_map.json',
  generationConfig: 'generation_config.json',
} as const;

/** The bytes of the files the engine reads from a model directory. */
interface ModelFileBytes {
  readonly config: Uint8Array;
  readonly weights: Uint8Array;
  readonly tokenizer?: Uint8Array;
}

/** The bytes of every file the engine writes into a model directory, keyed like MODEL_FILES. */
type WrittenModelFiles = Record<keyof typeof MODEL_FILES, Uint8Array>;

/** A decoded model directory; `name` is config.json's `_name_or_path` ('' when absent). */
interface DecodedModel {
  readonly model: GptModel;
  readonly tokenizer: Tokenizer;
  readonly name: string;
}

/** Serialises weights to safetensors with HF GPT-2 tensor names (metadata format "pt"). */
function encodeModelWeights(model: GptModel): Uint8Array {
  const p = model.params;
  return encodeSafetensors(
    p.specs.map((s) => [s.name, { shape: s.shape, data: p.get(s.name) }] as const),
    { format: 'pt' },
  );
}

/** Decodes safetensors weights for `config`; accepts a `transformer.` prefix and ignores `lm_head.weight`. */
function decodeModelWeights(
  config: ModelConfig,
  bytes: Uint8Array,
  limits?: SafetensorsLimits,
): FileResult<GptModel> {
  const file = decodeSafetensors(bytes, limits);
  if (!file.ok) return file;
  const specs = gpt2TensorSpecs(config);
  const data = new Float32Array(specs.reduce((n, s) => n + s.size, 0));
  const byName = new Map<string, (typeof specs)[number]>(specs.map((s) => [s.name, s]));
  const seen = new Set<string>();
  for (const [rawName, tensor] of file.value.tensors) {
    const name = rawName.startsWith('transformer.') ? rawName.slice('transformer.'.length) : rawName;
    // Tied head copies and HF's causal-mask buffers carry no weights of their own.
    if (name === 'lm_head.weight' || /^h\.\d+\.attn\.(masked_)?bias$/.test(name)) continue;
    const spec = byName.get(name);
    if (!spec) return fileFailure('unexpected_tensor', `unexpected tensor ${rawName}`);
    if (!tensor.data)
      return fileFailure('unsupported_dtype', `${rawName}: dtype ${tensor.dtype} is not a float`);
    if (tensor.shape.length !== spec.shape.length || tensor.shape.some((d, i) => d !== spec.shape[i])) {
      return fileFailure('shape_mismatch', `${rawName}: shape [${tensor.shape}] expected [${spec.shape}]`);
    }
    if (seen.has(name)) return fileFailure('duplicate_tensor', `${rawName} given twice`);
    seen.add(name);
    data.set(tensor.data, spec.offset);
  }
  const missing = specs.filter((s) => !seen.has(s.name)).map((s) => s.name);
  if (missing.length > 0) return fileFailure('missing_tensor', ...missing.map((m) => `missing ${m}`));
  return { ok: true, value: modelFromWeights(config, data) };
}

function parseJson(bytes: Uint8Array, what: string): FileResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return fileFailure('invalid_json', `${what} is not valid JSON`);
  }
}

const jsonBytes = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** The bytes of every model directory file; `name` (base model name or hub id) becomes `_name_or_path`. */
export function encodeModelFiles(
  model: GptModel,
  tokenizer: Tokenizer = BYTE_TOKENIZER,
  name?: string,
): WrittenModelFiles {
  const config = { ...(name === undefined ? {} : { _name_or_path: name }), ...toHfConfig(model.config) };
  return {
    config: jsonBytes(config),
    weights: encodeModelWeights(model),
    tokenizer: jsonBytes(toTokenizerJson(tokenizer)),
    tokenizerConfig: jsonBytes(toTokenizerConfig(tokenizer, model.config.nPositions)),
    specialTokensMap: jsonBytes(toSpecialTokensMap()),
    generationConfig: jsonBytes(toGenerationConfig(model.config)),
  };
}

/** Decodes a model (and its tokenizer, default byte tokenizer) from the bytes of its files. */
export function decodeModelFiles(
  files: ModelFileBytes,
  limits?: SafetensorsLimits,
): FileResult<DecodedModel> {
  const json = parseJson(files.config, MODEL_FILES.config);
  if (!json.ok) return json;
  const config = decodeHfConfig(json.value);
  if (!config.ok) return config;
  let tokenizer = BYTE_TOKENIZER;
  if (files.tokenizer) {
    const tj = parseJson(files.tokenizer, MODEL_FILES.tokenizer);
    if (!tj.ok) return tj;
    const t = decodeTokenizerJson(tj.value);
    if (!t.ok) return t;
    tokenizer = t.value;
    if (tokenizer.vocabSize > config.value.vocabSize)
      return fileFailure('vocab_mismatch', 'tokenizer vocab > model');
  }
  const model = decodeModelWeights(config.value, files.weights, limits);
  if (!model.ok) return model;
  const name = (json.value as { _name_or_path?: unknown })._name_or_path;
  return { ok: true, value: { model: model.value, tokenizer, name: typeof name === 'string' ? name : '' } };
}

/** Writes every MODEL_FILES file into `dir` (created if needed); `name` as in encodeModelFiles. */
export async function saveModelDir(
  dir: string,
  model: GptModel,
  tokenizer: Tokenizer = BYTE_TOKENIZER,
  name?: string,
): Promise<void> {
  const files = encodeModelFiles(model, tokenizer, name);
  await mkdir(dir, { recursive: true });
  const keys = Object.keys(MODEL_FILES) as (keyof typeof MODEL_FILES)[];
  await Promise.all(keys.map((key) => writeFile(join(dir, MODEL_FILES[key]), files[key])));
}

/** Loads a model directory; throws EngineError('invalid_file') when a file is malformed. */
export async function loadModelDir(dir: string, limits?: SafetensorsLimits): Promise<DecodedModel> {
  const [config, weights, tokenizer] = await Promise.all([
    readFileLimited(join(dir, MODEL_FILES.config), JSON_FILE_LIMIT),
    readFileLimited(join(dir, MODEL_FILES.weights), limits?.maxFileBytes),
    readFileLimited(join(dir, MODEL_FILES.tokenizer), JSON_FILE_LIMIT).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    }),
  ]);
  return unwrapDecoded(
    decodeModelFiles({ config, weights, ...(tokenizer === undefined ? {} : { tokenizer }) }, limits),
    `model directory ${dir}`,
  );
}
