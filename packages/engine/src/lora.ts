// LoRA adapters for GPT-2's Conv1D layers: configuration, PEFT-compatible module matching, seeded init
// and merging into base weights. File I/O (PEFT layout) lives in io/adapter-files.ts.

import type { ModelConfig } from './config.js';
import { EngineError } from './errors.js';
import { cloneModel, type GptModel } from './model.js';
import { createParamSet, layoutTensors, type ParamSet } from './params.js';
import { createRng, deriveSeed } from './rng.js';

/** The four Conv1D layers of a GPT-2 block that LoRA can target. */
export type LoraSiteKind = 'attn.c_attn' | 'attn.c_proj' | 'mlp.c_fc' | 'mlp.c_proj';

/** LoRA hyper-parameters (PEFT names: r, lora_alpha, target_modules). */
export interface LoraConfig {
  readonly r: number;
  readonly alpha: number;
  /** PEFT target_modules: a module matches when its dotted name equals or ends with ".<target>". */
  readonly targetModules: readonly string[];
}

/** One adapted layer: where it is and its input/output widths. */
export interface LoraSite {
  readonly layer: number;
  readonly kind: LoraSiteKind;
  /** Module name under the GPT-2 transformer, e.g. `h.0.attn.c_attn`. */
  readonly module: string;
  readonly nIn: number;
  readonly nOut: number;
}

/** A LoRA adapter: config, the adapted sites and their A [r, in] / B [out, r] matrices. */
export interface LoraAdapter {
  readonly config: LoraConfig;
  readonly sites: readonly LoraSite[];
  /** Tensors named `<module>.lora_A.weight` and `<module>.lora_B.weight`. */
  readonly params: ParamSet;
  /** Scaling applied to B·A: alpha / r. */
  readonly scale: number;
}

/** Default LoRA settings: r 8, alpha 16, all four Conv1D layers of every block. */
export const DEFAULT_LORA_CONFIG: LoraConfig = {
  r: 8,
  alpha: 16,
  targetModules: ['c_attn', 'c_proj', 'c_fc'],
};

const KINDS: readonly LoraSiteKind[] = ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'];

/** The sites of a model that a LoRA config targets (PEFT suffix matching on `transformer.h.N.<kind>`). */
export function loraSites(model: ModelConfig, lora: LoraConfig): LoraSite[] {
  const d = model.nEmbd;
  const dims: Record<LoraSiteKind, [number, number]> = {
    'attn.c_attn': [d, 3 * d],
    'attn.c_proj': [d, d],
    'mlp.c_fc': [d, 4 * d],
    'mlp.c_proj': [4 * d, d],
  };
  const sites: LoraSite[] = [];
  for (let layer = 0; layer < model.nLayer; layer++) {
    for (const kind of KINDS) {
      const module = `h.${layer}.${kind}`;
      const full = `transformer.${module}`;
      if (lora.targetModules.some((t) => full === t || full.endsWith(`.${t}`))) {
        sites.push({ layer, kind, module, nIn: dims[kind][0], nOut: dims[kind][1] });
      }
    }
  }
  return sites;
}

/** The tensor layout of an adapter. */
export function loraTensorLayout(sites: readonly LoraSite[], r: number) {
  return layoutTensors(
    sites.flatMap((s) => [
      { name: `${s.module}.lora_A.weight`, shape: [r, s.nIn], decay: true },
      { name: `${s.module}.lora_B.weight`, shape: [s.nOut, r], decay: true },
    ]),
  );
}

/** Wraps adapter weights (laid out by loraTensorLayout) as an adapter; validates the config. */
export function adapterFromWeights(model: ModelConfig, config: LoraConfig, data?: Float32Array): LoraAdapter {
  if (!Number.isInteger(config.r) || config.r <= 0)
    throw new EngineError('invalid_config', 'LoRA r must be > 0');
  if (!(config.alpha > 0)) throw new EngineError('invalid_config', 'LoRA alpha must be > 0');
  const sites = loraSites(model, config);
  if (sites.length === 0) throw new EngineError('invalid_config', 'LoRA target_modules match no layer');
  const { specs } = loraTensorLayout(sites, config.r);
  return { config, sites, params: createParamSet(specs, data), scale: config.alpha / config.r };
}

/** A fresh adapter as PEFT initialises it: A ~ kaiming-uniform(a=√5) i.e. U(±1/√in), B = 0. */
export function createLoraAdapter(
  model: ModelConfig,
  config: LoraConfig = DEFAULT_LORA_CONFIG,
  seed = 0,
): LoraAdapter {
  const adapter = adapterFromWeights(model, config);
  const rng = createRng(deriveSeed(seed, 'lora'));
  for (const site of adapter.sites) {
    const a = adapter.params.get(`${site.module}.lora_A.weight`);
    const bound = 1 / Math.sqrt(site.nIn);
    for (let i = 0; i < a.length; i++) a[i] = (rng.uniform() * 2 - 1) * bound;
  }
  return adapter;
}

/** A new model whose Conv1D weights include the adapter: W[in,out] += scale · Aᵀ·Bᵀ (fan_in_fan_out). */
export function mergeAdapter(base: GptModel, adapter: LoraAdapter): GptModel {
  const merged = cloneModel(base);
  const r = adapter.config.r;
  for (const site of adapter.sites) {
    const w = merged.params.get(`${site.module}.weight`);
    const a = adapter.params.get(`${site.module}.lora_A.weight`);
    const b = adapter.params.get(`${site.module}.lora_B.weight`);
    if (w.length !== site.nIn * site.nOut) throw new EngineError('shape_mismatch', `${site.module} size`);
    for (let i = 0; i < site.nIn; i++) {
      for (let o = 0; o < site.nOut; o++) {
        let sum = 0;
        for (let q = 0; q < r; q++) sum += a[q * site.nIn + i]! * b[o * r + q]!;
        w[i * site.nOut + o]! += adapter.scale * sum;
      }
    }
  }
  return merged;
}
