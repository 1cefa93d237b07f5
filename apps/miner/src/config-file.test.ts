import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeConfigText, MAX_CONFIG_BYTES, readConfigFile } from './config-file.js';

const AXOLOTL = `
# the axolotl names
learning_rate: 0.0002
lora_r: 16
lora_alpha: 32
lora_dropout: 0
lora_target_modules:
  - c_attn
  - c_fc
micro_batch_size: 4
warmup_steps: 10
num_epochs: 3
max_steps: 500
val_set_size: 0.05
seed: 42
strategy: lora
validator: http://127.0.0.1:8787
capacity: 2
min_time_limit: 60
trainer_args: [--fast, "--x=1"]
`;

describe('miner config file', () => {
  it('reads the axolotl keys and the miner keys from YAML', () => {
    const decoded = decodeConfigText('c.yaml', AXOLOTL);
    expect(decoded.ok && Object.fromEntries(decoded.value)).toEqual({
      learning_rate: 0.0002,
      lora_r: 16,
      lora_alpha: 32,
      lora_dropout: 0,
      lora_target_modules: ['c_attn', 'c_fc'],
      micro_batch_size: 4,
      warmup_steps: 10,
      num_epochs: 3,
      max_steps: 500,
      val_set_size: 0.05,
      seed: 42,
      strategy: 'lora',
      validator: 'http://127.0.0.1:8787',
      capacity: 2,
      min_time_limit: 60,
      trainer_args: ['--fast', '--x=1'],
    });
  });

  it('reads JSON, and an empty file as no settings', () => {
    const json = decodeConfigText('c.json', '{"lora_r": 4, "strategy": "red:lazy"}');
    expect(json.ok && Object.fromEntries(json.value)).toEqual({ lora_r: 4, strategy: 'red:lazy' });
    const empty = decodeConfigText('c.yaml', '# nothing\n');
    expect(empty.ok && empty.value.size).toBe(0);
  });

  it('refuses an unknown key, naming it', () => {
    const decoded = decodeConfigText('c.yaml', 'lora_r: 8\nbase_model: gpt2\n');
    expect(decoded).toMatchObject({ ok: false, error: { code: 'unknown_key', key: 'base_model' } });
  });

  it.each([
    ['learning_rate: 0', 'learning_rate'],
    ['learning_rate: "2e-4"', 'learning_rate'],
    ['lora_r: 8.5', 'lora_r'],
    ['lora_r: 65', 'lora_r'],
    ['lora_dropout: 0.05', 'lora_dropout'],
    ['lora_target_modules: [c_attn, q_proj]', 'lora_target_modules'],
    ['micro_batch_size: 0', 'micro_batch_size'],
    ['val_set_size: 0.9', 'val_set_size'],
    ['strategy: sneaky', 'strategy'],
    ['validator: ftp://host', 'validator'],
    ['log_format: xml', 'log_format'],
    ['capacity: [1]', 'capacity'],
  ])('refuses a bad value (%s), naming the key', (text, key) => {
    expect(decodeConfigText('c.yaml', text)).toMatchObject({
      ok: false,
      error: { code: 'invalid_value', key },
    });
  });

  it('refuses a document that is not a mapping, and broken YAML', () => {
    expect(decodeConfigText('c.yaml', '- lora_r\n')).toMatchObject({
      ok: false,
      error: { code: 'config_not_mapping' },
    });
    expect(decodeConfigText('c.yaml', 'lora_r: [1\n')).toMatchObject({
      ok: false,
      error: { code: 'config_syntax' },
    });
    expect(decodeConfigText('c.yaml', 'lora_r: 1\nlora_r: 2\n')).toMatchObject({
      ok: false,
      error: { code: 'config_syntax' },
    });
  });

  describe('on disk', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'miner-config-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads a file, and refuses a missing or oversized one', async () => {
      await writeFile(join(dir, 'ok.yaml'), 'lora_r: 4\n');
      const read = await readConfigFile(join(dir, 'ok.yaml'));
      expect(read.ok && read.value.get('lora_r')).toBe(4);
      expect(await readConfigFile(join(dir, 'missing.yaml'))).toMatchObject({
        ok: false,
        error: { code: 'config_unreadable' },
      });
      await writeFile(join(dir, 'big.yaml'), `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
      expect(await readConfigFile(join(dir, 'big.yaml'))).toMatchObject({
        ok: false,
        error: { code: 'config_too_large' },
      });
    });
  });
});
