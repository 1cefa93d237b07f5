// Test-only helpers (excluded from the build): tiny real base models on disk, honest LoRA and full-weight
// artifacts as real bundles, and the raw pieces hostile artifacts are made from.

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cloneModel,
  createLoraAdapter,
  createModel,
  createModelConfig,
  encodeAdapterFiles,
  encodeModelFiles,
  encodeSafetensors,
  type GptModel,
  type LoraAdapter,
  type LoraConfig,
  type ModelConfig,
  saveModelDir,
} from '@tuning-arena/engine';
import { type BundleFile, encodeBundle } from '@tuning-arena/protocol';
import type { BaseRef } from './base-model.js';
import type { JobSets } from './job-sets.js';

/** The tiny architecture of every evaluation test. */
export const TINY: ModelConfig = createModelConfig({
  preset: 'nano',
  nLayer: 1,
  nEmbd: 16,
  nHead: 2,
  nPositions: 64,
});

/** A temp directory removed by `await using`. */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await mkdtemp(join(tmpdir(), 'ta-eval-'));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** Writes a base model directory and returns its reference (weights sha256 of model.safetensors). */
export async function writeBase(dir: string, model: GptModel, modelId = 'tiny'): Promise<BaseRef> {
  await saveModelDir(dir, model);
  const weights = await readFile(join(dir, 'model.safetensors'));
  return { modelId, weightsSha256: createHash('sha256').update(weights).digest('hex'), dir };
}

/** A fresh tiny base model. */
export function tinyModel(seed = 1, config: ModelConfig = TINY): GptModel {
  return createModel(config, { seed });
}

/** An adapter whose B matrices are non-zero, so it changes the model. */
export function changedAdapter(
  config: ModelConfig = TINY,
  lora: LoraConfig = { r: 4, alpha: 8, targetModules: ['c_attn', 'c_proj'] },
  seed = 3,
): LoraAdapter {
  const adapter = createLoraAdapter(config, lora, seed);
  const data = adapter.params.data;
  for (let i = 0; i < data.length; i++) if (data[i] === 0) data[i] = Math.sin(i * 12.9898 + seed) * 0.05;
  return adapter;
}

/** A copy of `model` with every weight nudged. */
export function nudged(model: GptModel, amount = 0.01): GptModel {
  const out = cloneModel(model);
  const data = out.params.data;
  for (let i = 0; i < data.length; i++) data[i]! += Math.cos(i * 0.37) * amount;
  return out;
}

/** The files of a LoRA artifact. */
export function loraFiles(adapter: LoraAdapter): BundleFile[] {
  const files = encodeAdapterFiles(adapter);
  return [
    { name: 'adapter_config.json', data: files.config },
    { name: 'adapter_model.safetensors', data: files.weights },
  ];
}

/** The files of a full-weights artifact. */
export function fullFiles(model: GptModel): BundleFile[] {
  const files = encodeModelFiles(model);
  return [
    { name: 'config.json', data: files.config },
    { name: 'model.safetensors', data: files.weights },
    { name: 'tokenizer.json', data: files.tokenizer },
  ];
}

/** Replaces (or adds) one file of an artifact. */
export function withFile(files: BundleFile[], name: string, data: Uint8Array): BundleFile[] {
  return [...files.filter((file) => file.name !== name), { name, data }];
}

/** JSON bytes. */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** A safetensors file whose 8-byte header length is 2^64 − 1. */
export function hugeHeaderSafetensors(): Uint8Array {
  const bytes = new Uint8Array(64);
  new DataView(bytes.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
  return bytes;
}

/** Safetensors of the given tensors (F32). */
export function safetensorsOf(tensors: [string, { shape: number[]; data: Float32Array }][]): Uint8Array {
  return encodeSafetensors(tensors);
}

/** Writes a bundle of `files` and returns its path. */
export async function writeBundle(
  dir: string,
  files: BundleFile[],
  name = 'artifact.bundle',
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, encodeBundle(files));
  return path;
}

/** Entries of a directory (empty when it does not exist). */
export async function entriesOf(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** Small job sets of addition examples. */
export function tinySets(): JobSets {
  const make = (n: number, offset: number) =>
    Array.from({ length: n }, (_, i) => {
      const a = (i * 7 + offset) % 10;
      const b = (i * 3 + 2 * offset + 1) % 10;
      return { prompt: `${a}+${b}=`, answer: String(a + b) };
    });
  return { test: make(12, 0), synthetic: make(10, 5), trainSample: make(12, 9) };
}
