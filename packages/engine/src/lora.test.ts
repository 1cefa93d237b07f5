import { describe, expect, it } from 'vitest';
import { createGptRunner } from './gpt-runner.js';
import { decodeAdapterFiles, encodeAdapterFiles } from './io/adapter-files.js';
import { decodeSafetensors } from './io/safetensors.js';
import { createReferenceKernels } from './kernels/reference-kernels.js';
import { createLoraAdapter, loraSites, mergeAdapter } from './lora.js';
import { createModel } from './model.js';
import { randomFill } from './test-fd.js';
import { TINY_CONFIG } from './test-fixtures.js';

const kernels = createReferenceKernels();

describe('lora', () => {
  it('matches PEFT suffix matching: c_proj targets both attention and MLP projections', () => {
    const kinds = loraSites(TINY_CONFIG, { r: 2, alpha: 2, targetModules: ['c_proj'] }).map((s) => s.module);
    expect(kinds).toEqual(['h.0.attn.c_proj', 'h.0.mlp.c_proj']);
    expect(loraSites(TINY_CONFIG, { r: 2, alpha: 2, targetModules: ['attn.c_attn'] })).toHaveLength(1);
  });

  it('gives the same next-token distributions merged into the base as applied on top of it', () => {
    const base = createModel(TINY_CONFIG, { seed: 1 });
    const adapter = createLoraAdapter(
      TINY_CONFIG,
      { r: 4, alpha: 8, targetModules: ['c_attn', 'c_proj', 'c_fc'] },
      2,
    );
    randomFill(adapter.params.data, 3, 0.1);
    const merged = mergeAdapter(base, adapter);
    const tokens = Int32Array.from({ length: 24 }, (_, i) => (i * 37) % 256);
    const targets = Int32Array.from({ length: 24 }, (_, i) => (i * 11 + 5) % 256);
    const batch = { tokens, targets, batchSize: 2, seqLen: 12 };
    const runner = createGptRunner(kernels, TINY_CONFIG, {
      maxBatch: 2,
      maxSeqLen: 12,
      training: false,
      lora: { sites: adapter.sites, r: 4 },
    });
    runner.forward(base.params, batch, adapter);
    const withAdapter = runner.probabilities().slice();
    runner.forward(merged.params, batch);
    const viaMerge = runner.probabilities().slice();
    runner.forward(base.params, batch);
    const plain = runner.probabilities().slice();
    // Full next-token distributions over all 24 positions x 260 tokens.
    expect(withAdapter.length).toBe(24 * 260);
    const diff = (a: Float32Array, b: Float32Array) =>
      a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    expect(diff(viaMerge, withAdapter)).toBeLessThan(1e-6);
    expect(diff(plain, withAdapter)).toBeGreaterThan(1e-4);
  });

  it('writes PEFT key names and shapes and reads them back exactly', () => {
    const adapter = createLoraAdapter(TINY_CONFIG, { r: 4, alpha: 16, targetModules: ['c_attn', 'c_fc'] }, 7);
    randomFill(adapter.params.data, 5);
    const base = { name: 'arena-nano', sha256: 'ab'.repeat(32) };
    const files = encodeAdapterFiles(adapter, base);
    const config = JSON.parse(new TextDecoder().decode(files.config));
    expect(config).toMatchObject({
      peft_type: 'LORA',
      r: 4,
      lora_alpha: 16,
      fan_in_fan_out: true,
      base_model_name_or_path: 'arena-nano',
    });
    const st = decodeSafetensors(files.weights);
    if (!st.ok) throw new Error(st.error.code);
    expect(st.value.metadata).toEqual({
      format: 'pt',
      base_model_name_or_path: 'arena-nano',
      base_model_sha256: base.sha256,
    });
    expect(st.value.tensors.get('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight')!.shape).toEqual(
      [4, 32],
    );
    expect(st.value.tensors.get('base_model.model.transformer.h.0.attn.c_attn.lora_B.weight')!.shape).toEqual(
      [96, 4],
    );
    const back = decodeAdapterFiles(TINY_CONFIG, files);
    if (!back.ok) throw new Error(back.error.code);
    expect(back.value.adapter.params.data).toEqual(adapter.params.data);
    expect(back.value.adapter.scale).toBe(4);
    expect(back.value).toMatchObject({ baseModelNameOrPath: 'arena-nano', baseModelSha256: base.sha256 });
  });
});
