import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createModelConfig, encodeModelFiles, toHfConfig, toPeftConfig } from '@tuning-arena/engine';
import type { BundleFile } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import type { ArtifactKind, ArtifactLimits } from './artifact-limits.js';
import { loadBaseModel } from './base-model.js';
import { loadArtifact } from './load-artifact.js';
import {
  changedAdapter,
  fullFiles,
  hugeHeaderSafetensors,
  jsonBytes,
  loraFiles,
  nudged,
  safetensorsOf,
  TINY,
  tempDir,
  tinyModel,
  withFile,
  writeBase,
} from './test-artifacts.js';

async function load(kind: ArtifactKind, files: BundleFile[], limits: Partial<ArtifactLimits> = {}) {
  await using tmp = await tempDir();
  const base = await loadBaseModel(await writeBase(join(tmp.path, 'base'), tinyModel()));
  const dir = join(tmp.path, 'artifact');
  await mkdir(dir);
  for (const file of files) await writeFile(join(dir, file.name), file.data);
  return await loadArtifact(
    dir,
    files.map((file) => file.name),
    kind,
    base,
    limits,
  );
}

const codeOf = (result: Awaited<ReturnType<typeof load>>) => (result.ok ? 'ok' : result.error.code);

function withNonFinite(files: BundleFile[], name: string, value: number): BundleFile[] {
  // Overwrite the last float32 of the weights file (the data section ends the file).
  const file = files.find((f) => f.name === name)!;
  const data = file.data.slice();
  new DataView(data.buffer).setFloat32(data.byteLength - 4, value, true);
  return withFile(files, name, data);
}

describe('loadArtifact', () => {
  it('loads a LoRA adapter with its rank, targets and tensors', async () => {
    const adapter = changedAdapter();
    const result = await load('lora', loraFiles(adapter));
    if (!result.ok) throw new Error(result.error.detail);
    expect(result.value.shape).toEqual({
      tensors: adapter.params.specs.length,
      parameters: adapter.params.data.length,
      loraRank: 4,
      targetModules: ['c_attn', 'c_proj'],
    });
    expect(result.value.loaded.kind === 'lora' && result.value.loaded.adapter.params.data).toEqual(
      adapter.params.data,
    );
  });

  it('loads full weights of the base architecture', async () => {
    const model = nudged(tinyModel());
    const result = await load('full', fullFiles(model));
    if (!result.ok) throw new Error(result.error.detail);
    expect(result.value.shape.parameters).toBe(model.params.data.length);
    expect(result.value.loaded.kind === 'full' && result.value.loaded.model.params.data).toEqual(
      model.params.data,
    );
  });

  const wide = createModelConfig({ preset: 'nano', nLayer: 1, nEmbd: 32, nHead: 2, nPositions: 64 });
  const lora = loraFiles(changedAdapter());
  const full = fullFiles(tinyModel(2));
  const hostile: [string, ArtifactKind, BundleFile[], string, Partial<ArtifactLimits>?][] = [
    [
      'a text file named like a safetensors file',
      'lora',
      withFile(lora, 'adapter_model.safetensors', new TextEncoder().encode('hello, I am not safetensors\n')),
      'safetensors_header_too_large',
    ],
    [
      'a short text file named like a safetensors file',
      'full',
      withFile(full, 'model.safetensors', new TextEncoder().encode('hi')),
      'invalid_safetensors',
    ],
    [
      'a header length of 2^64 − 1',
      'lora',
      withFile(lora, 'adapter_model.safetensors', hugeHeaderSafetensors()),
      'safetensors_header_too_large',
    ],
    [
      'full weights of another architecture under the base config',
      'full',
      withFile(full, 'model.safetensors', encodeModelFiles(tinyModel(1, wide)).weights),
      'shape_mismatch',
    ],
    [
      'a LoRA for another architecture',
      'lora',
      withFile(lora, 'adapter_model.safetensors', loraFiles(changedAdapter(wide))[1]!.data),
      'shape_mismatch',
    ],
    [
      'full weights with a NaN',
      'full',
      withNonFinite(full, 'model.safetensors', Number.NaN),
      'non_finite_weights',
    ],
    [
      'full weights with an Inf',
      'full',
      withNonFinite(full, 'model.safetensors', Number.POSITIVE_INFINITY),
      'non_finite_weights',
    ],
    [
      'a LoRA with an Inf',
      'lora',
      withNonFinite(lora, 'adapter_model.safetensors', Number.NEGATIVE_INFINITY),
      'non_finite_weights',
    ],
    [
      'a LoRA of rank above the limit',
      'lora',
      loraFiles(changedAdapter(TINY, { r: 8, alpha: 8, targetModules: ['c_attn'] })),
      'lora_rank_too_large',
      { maxLoraRank: 4 },
    ],
    [
      'a LoRA of rank above the base width',
      'lora',
      withFile(
        lora,
        'adapter_config.json',
        jsonBytes(toPeftConfig({ r: 17, alpha: 8, targetModules: ['c_attn'] })),
      ),
      'lora_rank_too_large',
    ],
    [
      'a LoRA targeting unknown modules',
      'lora',
      withFile(
        lora,
        'adapter_config.json',
        jsonBytes(toPeftConfig({ r: 4, alpha: 8, targetModules: ['c_attn', 'c_proj', 'q_proj'] })),
      ),
      'unknown_target_module',
    ],
    [
      'a LoRA whose tensors do not match its config',
      'lora',
      withFile(
        lora,
        'adapter_config.json',
        jsonBytes(toPeftConfig({ r: 4, alpha: 8, targetModules: ['c_attn'] })),
      ),
      'unexpected_tensor',
    ],
    [
      'a LoRA config that is not PEFT',
      'lora',
      withFile(lora, 'adapter_config.json', jsonBytes({ peft_type: 'IA3' })),
      'invalid_peft_config',
    ],
    [
      'a LoRA config that is not JSON',
      'lora',
      withFile(lora, 'adapter_config.json', new TextEncoder().encode('{"r": 4,')),
      'invalid_json',
    ],
    [
      'a full model with another config',
      'full',
      withFile(full, 'config.json', jsonBytes(toHfConfig(wide))),
      'config_mismatch',
    ],
    [
      'a full model with another tokenizer',
      'full',
      withFile(
        full,
        'tokenizer.json',
        jsonBytes({
          type: 'tuning-arena-byte',
          version: 1,
          vocab_size: 261,
          byte_offset: 0,
          special_tokens: { bos: 257, eos: 256, pad: 258, sep: 259 },
        }),
      ),
      'tokenizer_mismatch',
    ],
  ];

  for (const [what, kind, files, code, limits] of hostile) {
    it(`refuses ${what} (${code})`, async () => {
      expect(codeOf(await load(kind, files, limits))).toBe(code);
    });
  }

  it('refuses full weights that lack a tensor (missing_tensor)', async () => {
    const model = tinyModel();
    const tensors = model.params.specs
      .slice(1)
      .map(
        (s) =>
          [s.name, { shape: [...s.shape], data: model.params.get(s.name) }] as [
            string,
            { shape: number[]; data: Float32Array },
          ],
      );
    expect(codeOf(await load('full', withFile(full, 'model.safetensors', safetensorsOf(tensors))))).toBe(
      'missing_tensor',
    );
  });

  it('refuses a tensor of a non-float dtype (unsupported_dtype)', async () => {
    const header = new TextEncoder().encode(
      JSON.stringify({ 'wte.weight': { dtype: 'I32', shape: [1], data_offsets: [0, 4] } }),
    );
    const bytes = new Uint8Array(8 + header.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    expect(codeOf(await load('full', withFile(full, 'model.safetensors', bytes)))).toBe('unsupported_dtype');
  });

  it('refuses float64 tensors (unsupported_dtype), though they decode', async () => {
    const model = tinyModel();
    const entries = model.params.specs.map((spec) => ({ spec, data: model.params.get(spec.name) }));
    const header: Record<string, unknown> = {};
    let offset = 0;
    for (const { spec, data } of entries) {
      header[spec.name] = {
        dtype: 'F64',
        shape: spec.shape,
        data_offsets: [offset, offset + data.length * 8],
      };
      offset += data.length * 8;
    }
    const json = new TextEncoder().encode(JSON.stringify(header));
    const bytes = new Uint8Array(8 + json.length + offset);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    let at = 8 + json.length;
    for (const { data } of entries) for (const value of data) view.setFloat64((at += 8) - 8, value, true);
    expect(codeOf(await load('full', withFile(full, 'model.safetensors', bytes)))).toBe('unsupported_dtype');
  });

  it('refuses a LoRA that names one tensor twice under two spellings (unexpected_tensor)', async () => {
    const adapter = changedAdapter();
    const tensors = adapter.params.specs.map(
      (spec) =>
        [
          `base_model.model.transformer.${spec.name}`,
          { shape: [...spec.shape], data: adapter.params.get(spec.name) },
        ] as [string, { shape: number[]; data: Float32Array }],
    );
    const first = adapter.params.specs[0]!;
    tensors.push([first.name, { shape: [...first.shape], data: new Float32Array(first.size) }]);
    expect(
      codeOf(await load('lora', withFile(lora, 'adapter_model.safetensors', safetensorsOf(tensors)))),
    ).toBe('unexpected_tensor');
  });
});
