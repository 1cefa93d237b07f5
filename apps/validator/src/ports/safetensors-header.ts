// Reads the header of a safetensors file (8-byte little-endian length, then a JSON object of tensors) to
// count parameters. Returns a Result; it never reads tensor data.

import { open } from 'node:fs/promises';
import { fail, ok, type Result } from '@tuning-arena/protocol';

const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** One tensor entry of a safetensors header. */
export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
}

/** Decodes a safetensors header from its JSON bytes. */
export function decodeSafetensorsHeader(json: Uint8Array): Result<TensorInfo[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(json).toString('utf8'));
  } catch {
    return fail('invalid_message', 'safetensors header is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('invalid_message', 'safetensors header must be a JSON object');
  }
  const tensors: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(parsed)) {
    if (name === '__metadata__') continue;
    const { dtype, shape } = (entry ?? {}) as { dtype?: unknown; shape?: unknown };
    const validShape =
      Array.isArray(shape) && shape.every((dim) => Number.isSafeInteger(dim) && (dim as number) >= 0);
    if (typeof dtype !== 'string' || !validShape) {
      return fail('invalid_message', `safetensors tensor ${name} has a bad dtype or shape`, [
        { path: `/${name}`, message: 'bad dtype or shape' },
      ]);
    }
    tensors.push({ name, dtype, shape: shape as number[] });
  }
  return ok(tensors);
}

/** Total number of parameters (elements) over the tensors. */
export function countParameters(tensors: TensorInfo[]): number {
  return tensors.reduce((sum, tensor) => sum + tensor.shape.reduce((product, dim) => product * dim, 1), 0);
}

/** Reads and decodes the header of a safetensors file. */
export async function readSafetensorsHeader(path: string): Promise<Result<TensorInfo[]>> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const prefix = Buffer.alloc(8);
    const { bytesRead } = await handle.read(prefix, 0, 8, 0);
    if (bytesRead < 8) return fail('invalid_message', 'safetensors file is shorter than its header length');
    const length = prefix.readBigUInt64LE(0);
    if (length > BigInt(Math.min(MAX_HEADER_BYTES, size - 8))) {
      return fail('invalid_message', 'safetensors header length runs past the file');
    }
    const json = Buffer.alloc(Number(length));
    await handle.read(json, 0, json.byteLength, 8);
    return decodeSafetensorsHeader(json);
  } finally {
    await handle.close();
  }
}
