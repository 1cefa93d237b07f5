// Model directories the Hugging Face way: config.json (gpt2), model.safetensors (HF GPT-2 names, float32,
// Conv1D [in, out]) and tokenizer.json. In-memory encode/decode return results; the directory
// functions wrap them with node:fs and throw EngineError('invalid_file') on bad content.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHfConfig, type ModelConfig, toHfConfig } from '../config.js';
import { type FileResult, fileFailure, unwrapDecoded } from '../errors.js';
import { type GptModel, modelFromWeights } from '../model.js';
import { gpt2TensorSpecs } from '../params.js';
import { BYTE_TOKENIZER, decodeTokenizerJson, type Tokenizer, toTokenizerJson } from '../tokenizer.js';
import { JSON_FILE_LIMIT, readFileLimited } from './read-limited.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsLimits } from './safetensors.js';

/** File names inside a model directory. */
export const MODEL_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  tokenizer: 'tokenizer.json',
} as const;

/** The bytes of each file of a model directory. */
interface ModelFileBytes {
  readonly config: Uint8Array;
  readonly weights: Uint8Array;
  readonly tokenizer?: Uint8Array;
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

/** The bytes of config.json, model.safetensors and tokenizer.json for a model. */
export function encodeModelFiles(
  model: GptModel,
  tokenizer: Tokenizer = BYTE_TOKENIZER,
): Required<ModelFileBytes> {
  const enc = new TextEncoder();
  return {
    config: enc.encode(`${JSON.stringify(toHfConfig(model.config), null, 2)}\n`),
    weights: encodeModelWeights(model),
    tokenizer: enc.encode(`${JSON.stringify(toTokenizerJson(tokenizer), null, 2)}\n`),
  };
}

/** Decodes a model (and its tokenizer, default byte tokenizer) from the bytes of its files. */
export function decodeModelFiles(
  files: ModelFileBytes,
  limits?: SafetensorsLimits,
): FileResult<{ model: GptModel; tokenizer: Tokenizer }> {
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
  return { ok: true, value: { model: model.value, tokenizer } };
}

/** Writes config.json, model.safetensors and tokenizer.json into `dir` (created if needed). */
export async function saveModelDir(
  dir: string,
  model: GptModel,
  tokenizer: Tokenizer = BYTE_TOKENIZER,
): Promise<void> {
  const files = encodeModelFiles(model, tokenizer);
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, MODEL_FILES.config), files.config),
    writeFile(join(dir, MODEL_FILES.weights), files.weights),
    writeFile(join(dir, MODEL_FILES.tokenizer), files.tokenizer),
  ]);
}

/** Loads a model directory; throws EngineError('invalid_file') when a file is malformed. */
export async function loadModelDir(
  dir: string,
  limits?: SafetensorsLimits,
): Promise<{ model: GptModel; tokenizer: Tokenizer }> {
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
