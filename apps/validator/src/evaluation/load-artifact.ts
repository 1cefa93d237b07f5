// The strict parse of an unpacked artifact before any compute: bounded JSON configs, the safetensors header
// length read from disk before the file, the engine's validating safetensors decoder, then every tensor's
// name, shape and dtype against the pinned base (LoRA: against the sites its config targets) and every value
// finite. Returns the loaded adapter or model, or a refusal code; it never throws on bad input and never
// evaluates anything.

import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  adapterFromWeights,
  decodeHfConfig,
  decodePeftConfig,
  decodeSafetensors,
  decodeTokenizerJson,
  type GptModel,
  type LoraAdapter,
  type LoraConfig,
  loraSites,
  modelFromWeights,
  type SafeTensor,
  toTokenizerJson,
} from '@tuning-arena/engine';
import { parseBoundedJson } from '@tuning-arena/protocol';
import {
  ALLOWED_DTYPES,
  type ArtifactKind,
  type ArtifactLimits,
  type ArtifactResult,
  DEFAULT_ARTIFACT_LIMITS,
  refuse,
} from './artifact-limits.js';
import { type BaseModel, configDifferences } from './base-model.js';

/** A parsed artifact, ready to evaluate. */
export type LoadedArtifact = { kind: 'lora'; adapter: LoraAdapter } | { kind: 'full'; model: GptModel };

/** What the parse found (the FormatFacts fields beyond bytes and files). */
interface ArtifactShape {
  tensors: number;
  parameters: number;
  loraRank?: number;
  targetModules?: string[];
}

/** A loaded artifact and its shape. */
export interface LoadedWithShape {
  loaded: LoadedArtifact;
  shape: ArtifactShape;
}

const PEFT_PREFIX = 'base_model.model.transformer.';

async function readJson(path: string, maxBytes: number): Promise<ArtifactResult<unknown>> {
  const size = (await stat(path)).size;
  if (size > maxBytes) return refuse('file_too_large', `${path}: ${size} bytes > limit ${maxBytes}`);
  const parsed = parseBoundedJson(await readFile(path), {
    maxBytes,
    maxDepth: 8,
    maxValues: 10_000,
    maxStringLength: 4096,
  });
  if (!parsed.ok) return refuse('invalid_json', `${path}: ${parsed.error.message}`);
  return { ok: true, value: parsed.value };
}

/** Reads a safetensors file after checking its header length from disk; tensors in file order. */
async function readTensors(
  path: string,
  limits: ArtifactLimits,
): Promise<ArtifactResult<Map<string, SafeTensor>>> {
  const handle = await open(path, 'r');
  let size: number;
  try {
    size = (await handle.stat()).size;
    if (size > limits.maxWeightsBytes) {
      return refuse('file_too_large', `${size} bytes > limit ${limits.maxWeightsBytes}`);
    }
    const prefix = Buffer.alloc(8);
    const { bytesRead } = await handle.read(prefix, 0, 8, 0);
    if (bytesRead < 8) return refuse('invalid_safetensors', 'shorter than the 8-byte header length');
    const headerBytes = prefix.readBigUInt64LE(0);
    if (headerBytes > BigInt(limits.maxSafetensorsHeaderBytes)) {
      return refuse('safetensors_header_too_large', `header of ${headerBytes} bytes`);
    }
  } finally {
    await handle.close();
  }
  const decoded = decodeSafetensors(await readFile(path), {
    maxFileBytes: limits.maxWeightsBytes,
    maxHeaderBytes: limits.maxSafetensorsHeaderBytes,
  });
  if (!decoded.ok) {
    const { code, issues } = decoded.error;
    if (code === 'header_too_large') return refuse('safetensors_header_too_large', issues.join('; '));
    return refuse('invalid_safetensors', `${code}: ${issues.join('; ')}`);
  }
  return { ok: true, value: decoded.value.tensors };
}

/** Copies tensors into their expected places; refuses unknown names, other shapes or dtypes, non-finite values. */
function placeTensors(
  tensors: Map<string, SafeTensor>,
  expected: Map<string, { shape: readonly number[]; target: Float32Array }>,
  rename: (name: string) => string,
): ArtifactResult<{ tensors: number; parameters: number }> {
  const seen = new Set<string>();
  let parameters = 0;
  for (const [raw, tensor] of tensors) {
    const name = rename(raw);
    const slot = expected.get(name);
    if (!slot || seen.has(name)) return refuse('unexpected_tensor', raw);
    if (!ALLOWED_DTYPES.has(tensor.dtype) || !tensor.data) {
      return refuse('unsupported_dtype', `${raw}: ${tensor.dtype}`);
    }
    const { shape } = tensor;
    if (shape.length !== slot.shape.length || shape.some((d, i) => d !== slot.shape[i])) {
      return refuse('shape_mismatch', `${raw}: [${shape.join(', ')}] expected [${slot.shape.join(', ')}]`);
    }
    const data = tensor.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) return refuse('non_finite_weights', `${raw}[${i}] = ${data[i]}`);
    }
    slot.target.set(data);
    seen.add(name);
    parameters += data.length;
  }
  const missing = [...expected.keys()].filter((name) => !seen.has(name));
  if (missing.length > 0) return refuse('missing_tensor', missing.slice(0, 8).join(', '));
  return { ok: true, value: { tensors: seen.size, parameters } };
}

async function loadLora(
  dir: string,
  base: BaseModel,
  limits: ArtifactLimits,
): Promise<ArtifactResult<LoadedWithShape>> {
  const json = await readJson(join(dir, 'adapter_config.json'), limits.maxJsonBytes);
  if (!json.ok) return json;
  const peft = decodePeftConfig(json.value);
  if (!peft.ok) return refuse('invalid_peft_config', `${peft.error.code}: ${peft.error.issues.join('; ')}`);
  const lora: LoraConfig = peft.value.lora;
  const maxRank = Math.min(limits.maxLoraRank, base.model.config.nEmbd);
  if (lora.r > maxRank) return refuse('lora_rank_too_large', `r ${lora.r} > limit ${maxRank}`);
  if (lora.alpha / lora.r > limits.maxLoraScale) {
    return refuse(
      'lora_scale_too_large',
      `lora_alpha / r = ${lora.alpha / lora.r} > limit ${limits.maxLoraScale}`,
    );
  }
  // Every target must adapt something: a name that matches no module is a config for another model.
  const unknown = lora.targetModules.filter(
    (target) => loraSites(base.model.config, { ...lora, targetModules: [target] }).length === 0,
  );
  if (unknown.length > 0) return refuse('unknown_target_module', unknown.join(', '));
  const tensors = await readTensors(join(dir, 'adapter_model.safetensors'), limits);
  if (!tensors.ok) return tensors;
  const adapter = adapterFromWeights(base.model.config, lora);
  const expected = new Map(
    adapter.params.specs.map((spec) => [
      spec.name,
      { shape: spec.shape, target: adapter.params.get(spec.name) },
    ]),
  );
  const placed = placeTensors(tensors.value, expected, (raw) =>
    raw.startsWith(PEFT_PREFIX) ? raw.slice(PEFT_PREFIX.length) : raw,
  );
  if (!placed.ok) return placed;
  return {
    ok: true,
    value: {
      loaded: { kind: 'lora', adapter },
      shape: { ...placed.value, loraRank: lora.r, targetModules: [...lora.targetModules] },
    },
  };
}

async function loadFull(
  dir: string,
  files: readonly string[],
  base: BaseModel,
  limits: ArtifactLimits,
): Promise<ArtifactResult<LoadedWithShape>> {
  const json = await readJson(join(dir, 'config.json'), limits.maxJsonBytes);
  if (!json.ok) return json;
  const config = decodeHfConfig(json.value);
  if (!config.ok)
    return refuse('invalid_hf_config', `${config.error.code}: ${config.error.issues.join('; ')}`);
  const differences = configDifferences(config.value, base.model.config);
  if (differences.length > 0) return refuse('config_mismatch', differences.join('; '));
  if (files.includes('tokenizer.json')) {
    const tj = await readJson(join(dir, 'tokenizer.json'), limits.maxJsonBytes);
    if (!tj.ok) return tj;
    const tokenizer = decodeTokenizerJson(tj.value);
    const same =
      tokenizer.ok &&
      JSON.stringify(toTokenizerJson(tokenizer.value)) === JSON.stringify(toTokenizerJson(base.tokenizer));
    if (!same) return refuse('tokenizer_mismatch', 'tokenizer.json is not the base model tokenizer');
  }
  const tensors = await readTensors(join(dir, 'model.safetensors'), limits);
  if (!tensors.ok) return tensors;
  const model = modelFromWeights(base.model.config, new Float32Array(base.model.params.data.length));
  const expected = new Map(
    model.params.specs.map((spec) => [spec.name, { shape: spec.shape, target: model.params.get(spec.name) }]),
  );
  const placed = placeTensors(tensors.value, expected, (raw) => raw);
  if (!placed.ok) return placed;
  return { ok: true, value: { loaded: { kind: 'full', model }, shape: placed.value } };
}

/** Strictly parses an unpacked artifact of `kind` against the pinned base; never throws on bad files. */
export async function loadArtifact(
  dir: string,
  files: readonly string[],
  kind: ArtifactKind,
  base: BaseModel,
  limits: Partial<ArtifactLimits> = {},
): Promise<ArtifactResult<LoadedWithShape>> {
  const all = { ...DEFAULT_ARTIFACT_LIMITS, ...limits };
  try {
    return kind === 'lora' ? await loadLora(dir, base, all) : await loadFull(dir, files, base, all);
  } catch (error) {
    return refuse('bundle_invalid', `cannot read the artifact files: ${(error as Error).message}`);
  }
}
