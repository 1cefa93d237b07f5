// Reads the header of a safetensors file (8-byte little-endian length, then a JSON object of tensors) to
// count parameters. The header is untrusted: its length is bounded (MAX_SAFETENSORS_HEADER_BYTES and the
// file size) before it is read, it is parsed with the protocol's bounded JSON parser, and every tensor's
// dtype, shape and data_offsets are checked against the data section. Returns a Result; it never reads
// tensor data.

import { open } from 'node:fs/promises';
import { fail, type Issue, ok, parseBoundedJson, type Result } from '@tuning-arena/protocol';

/** Largest safetensors header read (real models with thousands of tensors need well under 1 MiB). */
const MAX_SAFETENSORS_HEADER_BYTES = 8 * 1024 * 1024;
/** Most tensors in one file. */
const MAX_TENSORS = 100_000;
const MAX_RANK = 16;

/** Bytes per element of the safetensors dtypes we accept. */
const DTYPE_BYTES: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

/** One tensor entry of a safetensors header. */
interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
}

const bad = (message: string, issues: Issue[] = []) => fail('invalid_message', message, issues);

/** The element count of a shape, or undefined when it is not a list of safe integers or overflows. */
function elementCount(shape: unknown): number | undefined {
  if (!Array.isArray(shape) || shape.length > MAX_RANK) return undefined;
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) return undefined;
    count *= dim;
  }
  return Number.isSafeInteger(count) ? count : undefined;
}

/**
 * Decodes a safetensors header from its JSON bytes. With `dataBytes` (the size of the data section) the
 * tensors must tile it exactly: in range, no overlaps, no holes.
 */
export function decodeSafetensorsHeader(json: Uint8Array, dataBytes?: number): Result<TensorInfo[]> {
  const parsed = parseBoundedJson(json, {
    maxBytes: MAX_SAFETENSORS_HEADER_BYTES,
    maxDepth: 3,
    maxValues: 2_000_000,
    maxStringLength: 64 * 1024,
  });
  if (!parsed.ok) return bad(`safetensors header: ${parsed.error.message}`, parsed.error.issues);
  const header = parsed.value;
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return bad('safetensors header must be a JSON object');
  }
  const tensors: (TensorInfo & { begin: number; end: number })[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      const strings = typeof entry === 'object' && entry !== null && !Array.isArray(entry);
      if (!strings || Object.values(entry).some((value) => typeof value !== 'string')) {
        return bad('safetensors __metadata__ must map strings to strings', [
          { path: '/__metadata__', message: 'not strings' },
        ]);
      }
      continue;
    }
    if (tensors.length >= MAX_TENSORS)
      return bad(`safetensors header lists more than ${MAX_TENSORS} tensors`);
    const path = `/${name}`;
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const count = elementCount(shape);
    const width =
      typeof dtype === 'string' && Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : undefined;
    if (typeof dtype !== 'string' || width === undefined || count === undefined) {
      return bad(`safetensors tensor ${name} has a bad dtype or shape`, [
        { path, message: 'bad dtype or shape' },
      ]);
    }
    const [begin, end] = Array.isArray(offsets) ? offsets : [];
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !Number.isSafeInteger(begin) ||
      !Number.isSafeInteger(end) ||
      begin < 0 ||
      begin > end ||
      (dataBytes !== undefined && end > dataBytes)
    ) {
      return bad(`safetensors tensor ${name} has bad data_offsets`, [{ path, message: 'bad data_offsets' }]);
    }
    if (count * width !== end - begin) {
      return bad(`safetensors tensor ${name} does not match its shape`, [{ path, message: 'size mismatch' }]);
    }
    tensors.push({ name, dtype, shape: shape as number[], begin, end });
  }
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const tensor of sorted) {
    if (tensor.begin !== expected) {
      return bad(`safetensors tensor ${tensor.name} overlaps another or leaves a gap`, [
        { path: `/${tensor.name}`, message: 'overlap or gap' },
      ]);
    }
    expected = tensor.end;
  }
  if (dataBytes !== undefined && expected !== dataBytes) return bad('safetensors data has unused bytes');
  return ok(tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })));
}

/** Total number of parameters (elements) over the tensors. */
export function countParameters(tensors: TensorInfo[]): number {
  return tensors.reduce((sum, tensor) => sum + tensor.shape.reduce((product, dim) => product * dim, 1), 0);
}

/** Reads and decodes the header of a safetensors file, checking it against the file's size. */
export async function readSafetensorsHeader(path: string): Promise<Result<TensorInfo[]>> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const prefix = Buffer.alloc(8);
    const { bytesRead } = await handle.read(prefix, 0, 8, 0);
    if (bytesRead < 8) return bad('safetensors file is shorter than its header length');
    const length = prefix.readBigUInt64LE(0);
    if (length > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) {
      return bad(`safetensors header exceeds ${MAX_SAFETENSORS_HEADER_BYTES} bytes`);
    }
    if (length > BigInt(size - 8)) return bad('safetensors header length runs past the file');
    const json = Buffer.alloc(Number(length));
    let filled = 0;
    while (filled < json.byteLength) {
      const read = await handle.read(json, filled, json.byteLength - filled, 8 + filled);
      if (read.bytesRead === 0) return bad('safetensors file shrank while being read');
      filled += read.bytesRead;
    }
    return decodeSafetensorsHeader(json, size - 8 - json.byteLength);
  } finally {
    await handle.close();
  }
}
