// LoRA adapters in the PEFT layout: adapter_config.json (peft_type LORA, fan_in_fan_out true for GPT-2
// Conv1D) and adapter_model.safetensors with keys like
// `base_model.model.transformer.h.0.attn.c_attn.lora_A.weight` ([r, in]) and `...lora_B.weight` ([out, r]).

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelConfig } from '../config.js';
import { type FileResult, fileFailure } from '../errors.js';
import {
  adapterFromWeights,
  type LoraAdapter,
  type LoraConfig,
  loraSites,
  loraTensorLayout,
} from '../lora.js';
import { unsupportedPeftOption } from './peft-options.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsLimits } from './safetensors.js';

/** File names inside an adapter directory. */
const ADAPTER_FILES = { config: 'adapter_config.json', weights: 'adapter_model.safetensors' } as const;

const PEFT_PREFIX = 'base_model.model.transformer.';

/** Bytes of the two adapter files. */
interface AdapterFileBytes {
  readonly config: Uint8Array;
  readonly weights: Uint8Array;
}

/** The base model an adapter was trained on: its name (folder or hub id) and the sha256 of its weights. */
export interface AdapterBase {
  /** What `AutoPeftModelForCausalLM` loads: a model folder path or hub id (empty when unknown). */
  readonly name: string;
  /** Hex sha256 of the base's model.safetensors, kept in the adapter's safetensors metadata. */
  readonly sha256?: string;
}

/** The adapter_config.json object PEFT writes for a GPT-2 LoRA. */
export function toPeftConfig(lora: LoraConfig, base: AdapterBase = { name: '' }): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: base.name,
    r: lora.r,
    lora_alpha: lora.alpha,
    lora_dropout: 0,
    target_modules: [...lora.targetModules],
    fan_in_fan_out: true,
    bias: 'none',
    inference_mode: true,
    modules_to_save: null,
    init_lora_weights: true,
    use_rslora: false,
    use_dora: false,
    rank_pattern: {},
    alpha_pattern: {},
  };
}

/** Decodes adapter_config.json into a LoraConfig plus the base model reference. */
export function decodePeftConfig(
  json: unknown,
): FileResult<{ lora: LoraConfig; baseModelNameOrPath: string }> {
  if (typeof json !== 'object' || json === null)
    return fileFailure('config_not_object', 'expected an object');
  const o = json as Record<string, unknown>;
  if (o.peft_type !== 'LORA') return fileFailure('unsupported_peft_type', `peft_type ${String(o.peft_type)}`);
  if (!Number.isInteger(o.r) || (o.r as number) <= 0)
    return fileFailure('invalid_rank', 'r must be a positive integer');
  const alpha = o.lora_alpha ?? 8;
  if (typeof alpha !== 'number' || !(alpha > 0))
    return fileFailure('invalid_alpha', 'lora_alpha must be > 0');
  const targets = o.target_modules;
  // PEFT full-matches a string as a regular expression; the engine matches names by suffix.
  if (typeof targets === 'string') {
    return fileFailure('unsupported_target_modules', 'target_modules as a regular expression string');
  }
  if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string')) {
    return fileFailure('invalid_target_modules', 'target_modules must be a non-empty list of names');
  }
  if (o.fan_in_fan_out === false)
    return fileFailure('unsupported_layout', 'GPT-2 Conv1D needs fan_in_fan_out');
  const refused = unsupportedPeftOption(o);
  if (refused) return refused;
  const base = typeof o.base_model_name_or_path === 'string' ? o.base_model_name_or_path : '';
  return {
    ok: true,
    value: {
      lora: { r: o.r as number, alpha, targetModules: targets as string[] },
      baseModelNameOrPath: base,
    },
  };
}

/** Encodes an adapter into PEFT's two files: the base's name in the config and, with its sha256, in the metadata. */
export function encodeAdapterFiles(adapter: LoraAdapter, base: AdapterBase = { name: '' }): AdapterFileBytes {
  const p = adapter.params;
  const metadata: Record<string, string> = { format: 'pt', base_model_name_or_path: base.name };
  if (base.sha256 !== undefined) metadata.base_model_sha256 = base.sha256;
  return {
    config: new TextEncoder().encode(`${JSON.stringify(toPeftConfig(adapter.config, base), null, 2)}\n`),
    weights: encodeSafetensors(
      p.specs.map((s) => [`${PEFT_PREFIX}${s.name}`, { shape: s.shape, data: p.get(s.name) }] as const),
      metadata,
    ),
  };
}

/** Decodes PEFT adapter files for a base model of shape `model`. */
export function decodeAdapterFiles(
  model: ModelConfig,
  files: AdapterFileBytes,
  limits?: SafetensorsLimits,
): FileResult<{ adapter: LoraAdapter; baseModelNameOrPath: string; baseModelSha256?: string }> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(files.config));
  } catch {
    return fileFailure('invalid_json', `${ADAPTER_FILES.config} is not valid JSON`);
  }
  const cfg = decodePeftConfig(json);
  if (!cfg.ok) return cfg;
  const sites = loraSites(model, cfg.value.lora);
  if (sites.length === 0) return fileFailure('invalid_target_modules', 'target_modules match no GPT-2 layer');
  const file = decodeSafetensors(files.weights, limits);
  if (!file.ok) return file;
  const { specs, length } = loraTensorLayout(sites, cfg.value.lora.r);
  const data = new Float32Array(length);
  const byName = new Map<string, (typeof specs)[number]>(specs.map((s) => [s.name, s]));
  const seen = new Set<string>();
  for (const [raw, tensor] of file.value.tensors) {
    // PEFT writes `base_model.model.transformer.<module>`; older files may keep the adapter name.
    const name = raw
      .replace(/^base_model\.model\./, '')
      .replace(/^transformer\./, '')
      .replace('.default.weight', '.weight');
    const spec = byName.get(name);
    if (!spec) return fileFailure('unexpected_tensor', `unexpected tensor ${raw}`);
    if (!tensor.data) return fileFailure('unsupported_dtype', `${raw}: dtype ${tensor.dtype}`);
    if (tensor.shape.length !== 2 || tensor.shape[0] !== spec.shape[0] || tensor.shape[1] !== spec.shape[1]) {
      return fileFailure('shape_mismatch', `${raw}: shape [${tensor.shape}] expected [${spec.shape}]`);
    }
    seen.add(name);
    data.set(tensor.data, spec.offset);
  }
  const sha256 = file.value.metadata.base_model_sha256;
  const missing = specs.filter((s) => !seen.has(s.name));
  if (missing.length > 0) return fileFailure('missing_tensor', ...missing.map((s) => `missing ${s.name}`));
  return {
    ok: true,
    value: {
      adapter: adapterFromWeights(model, cfg.value.lora, data),
      baseModelNameOrPath: cfg.value.baseModelNameOrPath,
      ...(sha256 === undefined ? {} : { baseModelSha256: sha256 }),
    },
  };
}

/** Writes adapter_config.json and adapter_model.safetensors into `dir`. */
export async function saveAdapterDir(
  dir: string,
  adapter: LoraAdapter,
  base: AdapterBase = { name: '' },
): Promise<void> {
  const files = encodeAdapterFiles(adapter, base);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, ADAPTER_FILES.config), files.config);
  await writeFile(join(dir, ADAPTER_FILES.weights), files.weights);
}
