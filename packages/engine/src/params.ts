// Parameter storage: every tensor of a model (or adapter) as a named view into one flat float32 buffer,
// so optimiser, clipping, hashing and copying are single passes. Names follow Hugging Face GPT-2.

import type { ModelConfig } from './config.js';

/** Name, shape and place of one tensor inside a flat parameter buffer. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
  /** Whether AdamW weight decay applies (matrices and embeddings, not biases or norms). */
  readonly decay: boolean;
}

/** A flat buffer of named tensors. */
export interface ParamSet {
  readonly specs: readonly TensorSpec[];
  readonly data: Float32Array;
  /** The view of tensor `name`; throws RangeError when absent. */
  get(name: string): Float32Array;
  /** Whether the set holds tensor `name`. */
  has(name: string): boolean;
}

/** Lays out tensors back to back; returns the specs and the total length. */
export function layoutTensors(
  tensors: readonly { name: string; shape: readonly number[]; decay: boolean }[],
): { specs: TensorSpec[]; length: number } {
  let offset = 0;
  const specs = tensors.map((t) => {
    const size = t.shape.reduce((a, b) => a * b, 1);
    const spec = { ...t, offset, size };
    offset += size;
    return spec;
  });
  return { specs, length: offset };
}

/** Wraps `data` (or a fresh zeroed buffer) as a ParamSet with the given layout. */
export function createParamSet(specs: readonly TensorSpec[], data?: Float32Array): ParamSet {
  const length = specs.reduce((n, s) => Math.max(n, s.offset + s.size), 0);
  const buffer = data ?? new Float32Array(length);
  if (buffer.length < length) throw new RangeError(`parameter buffer of ${buffer.length} < ${length}`);
  const views = new Map(specs.map((s) => [s.name, buffer.subarray(s.offset, s.offset + s.size)]));
  return {
    specs,
    data: buffer,
    get(name) {
      const v = views.get(name);
      if (!v) throw new RangeError(`no tensor named ${name}`);
      return v;
    },
    has: (name) => views.has(name),
  };
}

/** The Hugging Face GPT-2 tensors of a config, in file order (Conv1D weights stored [in, out]). */
export function gpt2TensorSpecs(c: ModelConfig): TensorSpec[] {
  const d = c.nEmbd;
  const t: { name: string; shape: number[]; decay: boolean }[] = [
    { name: 'wte.weight', shape: [c.vocabSize, d], decay: true },
    { name: 'wpe.weight', shape: [c.nPositions, d], decay: true },
  ];
  for (let i = 0; i < c.nLayer; i++) {
    const p = `h.${i}.`;
    t.push(
      { name: `${p}ln_1.weight`, shape: [d], decay: false },
      { name: `${p}ln_1.bias`, shape: [d], decay: false },
      { name: `${p}attn.c_attn.weight`, shape: [d, 3 * d], decay: true },
      { name: `${p}attn.c_attn.bias`, shape: [3 * d], decay: false },
      { name: `${p}attn.c_proj.weight`, shape: [d, d], decay: true },
      { name: `${p}attn.c_proj.bias`, shape: [d], decay: false },
      { name: `${p}ln_2.weight`, shape: [d], decay: false },
      { name: `${p}ln_2.bias`, shape: [d], decay: false },
      { name: `${p}mlp.c_fc.weight`, shape: [d, 4 * d], decay: true },
      { name: `${p}mlp.c_fc.bias`, shape: [4 * d], decay: false },
      { name: `${p}mlp.c_proj.weight`, shape: [4 * d, d], decay: true },
      { name: `${p}mlp.c_proj.bias`, shape: [d], decay: false },
    );
  }
  t.push({ name: 'ln_f.weight', shape: [d], decay: false }, { name: 'ln_f.bias', shape: [d], decay: false });
  return layoutTensors(t).specs;
}
