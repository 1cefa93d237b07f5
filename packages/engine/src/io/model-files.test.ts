import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { createModel } from '../model.js';
import { LEGACY_TOKENIZER_JSON, TINY_CONFIG } from '../test-fixtures.js';
import { BYTE_TOKENIZER } from '../tokenizer.js';
import {
  decodeModelFiles,
  encodeModelFiles,
  loadModelDir,
  MODEL_FILES,
  saveModelDir,
} from './model-files.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('model files', () => {
  it('saves and loads a model directory bit-exactly, with HF names and config fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-model-'));
    dirs.push(dir);
    const model = createModel(TINY_CONFIG, { seed: 11 });
    await saveModelDir(dir, model);
    const loaded = await loadModelDir(dir);
    expect(loaded.model.config).toEqual(model.config);
    expect(Buffer.from(loaded.model.params.data.buffer).equals(Buffer.from(model.params.data.buffer))).toBe(
      true,
    );
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      model_type: 'gpt2',
      n_embd: 32,
      n_layer: 1,
      n_head: 2,
      n_positions: 32,
      vocab_size: 260,
    });
    const st = decodeSafetensors(await readFile(join(dir, 'model.safetensors')));
    if (!st.ok) throw new Error(st.error.code);
    expect(st.value.tensors.get('h.0.attn.c_attn.weight')!.shape).toEqual([32, 96]);
    expect(st.value.tensors.get('h.0.mlp.c_proj.weight')!.shape).toEqual([128, 32]);
    expect([...st.value.tensors.keys()]).toContain('ln_f.bias');
    expect(loaded.tokenizer.sepId).toBe(259);
  });

  it('writes the Hugging Face tokenizer and transformers files, and the base name as _name_or_path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-model-'));
    dirs.push(dir);
    await saveModelDir(dir, createModel(TINY_CONFIG), BYTE_TOKENIZER, 'arena-nano');
    const read = async (name: string) => JSON.parse(await readFile(join(dir, name), 'utf8'));
    expect((await readdir(dir)).sort()).toEqual(Object.values(MODEL_FILES).sort());
    expect(await read('config.json')).toMatchObject({ _name_or_path: 'arena-nano', dtype: 'float32' });
    expect(await read('tokenizer.json')).toMatchObject({ model: { type: 'BPE', byte_fallback: true } });
    expect(await read('tokenizer_config.json')).toMatchObject({ split_special_tokens: true });
    expect(await read('special_tokens_map.json')).toMatchObject({ eos_token: { content: '<|endoftext|>' } });
    expect(await read('generation_config.json')).toMatchObject({ eos_token_id: 257, pad_token_id: 258 });
    expect((await loadModelDir(dir)).name).toBe('arena-nano');
  });

  it('loads a folder cached before the Hugging Face tokenizer: legacy tokenizer.json, no name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-model-'));
    dirs.push(dir);
    const model = createModel(TINY_CONFIG, { seed: 3 });
    const files = encodeModelFiles(model);
    const oldConfig = { ...JSON.parse(new TextDecoder().decode(files.config)), torch_dtype: 'float32' };
    delete oldConfig.dtype;
    delete oldConfig.transformers_version;
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), JSON.stringify(oldConfig));
    await writeFile(join(dir, 'model.safetensors'), files.weights);
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(LEGACY_TOKENIZER_JSON));
    const loaded = await loadModelDir(dir);
    expect(loaded.model.params.data).toEqual(model.params.data);
    expect([loaded.tokenizer.bosId, loaded.tokenizer.sepId, loaded.name]).toEqual([256, 259, '']);
  });

  it('refuses weights whose shapes do not match the config', () => {
    const files = encodeModelFiles(createModel(TINY_CONFIG));
    const other = encodeModelFiles(createModel({ ...TINY_CONFIG, nEmbd: 16 }));
    const r = decodeModelFiles({ config: files.config, weights: other.weights });
    expect(r.ok ? 'ok' : r.error.code).toBe('shape_mismatch');
    const bad = decodeModelFiles({
      config: new TextEncoder().encode('{"model_type":"llama"}'),
      weights: files.weights,
    });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('unsupported_model_type');
  });

  it('throws EngineError invalid_file when a directory holds a corrupt file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-model-'));
    dirs.push(dir);
    await saveModelDir(dir, createModel(TINY_CONFIG));
    await writeFile(join(dir, 'model.safetensors'), new Uint8Array(3));
    await expect(loadModelDir(dir)).rejects.toSatisfy(
      (e) => e instanceof EngineError && e.code === 'invalid_file',
    );
  });

  it('loads checkpoints as transformers saves them: transformer. prefix, lm_head copy, mask buffers', () => {
    const model = createModel(TINY_CONFIG, { seed: 4 });
    const p = model.params;
    const tensors = p.specs.map(
      (spec) => [`transformer.${spec.name}`, { shape: spec.shape, data: p.get(spec.name) }] as const,
    );
    const extra = [
      ['lm_head.weight', { shape: [260, 32], data: p.get('wte.weight') }],
      ['transformer.h.0.attn.bias', { shape: [1, 1, 32, 32], data: new Float32Array(32 * 32) }],
    ] as const;
    const files = encodeModelFiles(model);
    const r = decodeModelFiles({ config: files.config, weights: encodeSafetensors([...tensors, ...extra]) });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.model.params.data).toEqual(p.data);
  });

  it('refuses an oversized weights file before reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-model-'));
    dirs.push(dir);
    await saveModelDir(dir, createModel(TINY_CONFIG));
    const tooLarge = (e: unknown) =>
      e instanceof EngineError &&
      e.code === 'invalid_file' &&
      (e.cause as { code?: string } | undefined)?.code === 'file_too_large';
    await expect(loadModelDir(dir, { maxFileBytes: 1000 })).rejects.toSatisfy(tooLarge);
  });
});
