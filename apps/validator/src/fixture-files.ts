// Tiny on-disk fixtures, built (unlike test-*.ts) so the load bench shares them with the tests: a
// safetensors file of zero weights, an HF-style model directory and a prompt/answer JSONL dataset.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes a safetensors file whose tensors have the given shapes (data bytes are zeros). */
export function fakeSafetensors(shapes: Record<string, number[]>): Buffer {
  let offset = 0;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (const [name, shape] of Object.entries(shapes)) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.byteLength));
  return Buffer.concat([length, json, Buffer.alloc(offset)]);
}

/** Creates `<modelsDir>/<id>` with config.json, model.safetensors (fake weights) and tokenizer.json. */
export async function writeTinyModel(modelsDir: string, id: string): Promise<void> {
  const dir = join(modelsDir, id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_layer: 1, n_embd: 4 }));
  await writeFile(
    join(dir, 'model.safetensors'),
    fakeSafetensors({ 'wte.weight': [16, 4], 'wpe.weight': [8, 4] }),
  );
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'byte' } }));
}

/** Writes `<datasetDir>/<name>.jsonl` with `rows` prompt/answer rows. */
export async function writeDataset(datasetDir: string, name: string, rows: number): Promise<void> {
  await mkdir(datasetDir, { recursive: true });
  const lines = Array.from({ length: rows }, (_, i) =>
    JSON.stringify({ prompt: `${i} + ${i} =`, answer: `${2 * i}` }),
  );
  await writeFile(join(datasetDir, `${name}.jsonl`), `${lines.join('\n')}\n`);
}
