// The header of a safetensors file (8-byte little-endian length, then a JSON object of tensors), decoded and
// checked on its own: dtypes, shapes, data_offsets that tile the data section exactly, string metadata. The
// header is untrusted: bounded in bytes, parsed by the protocol's strict bounded JSON parser, and every
// refusal has a code. `readSafetensorsHeader` reads only the prefix and the header of a file, never the data,
// so the validator can count a model's parameters without loading its weights.

import { open } from 'node:fs/promises';
import { type BoundedJsonError, parseBoundedJson } from '@tuning-arena/protocol';
import { type FileResult, fileFailure } from '../errors.js';

/** Byte width of every dtype the safetensors format defines that we recognise (8-bit floats stay raw). */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
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

/** Default bound on a safetensors JSON header (real models need well under 1 MiB). */
export const DEFAULT_MAX_HEADER_BYTES = 8 * 1024 * 1024;
/** Deepest nesting a safetensors header needs: header object, tensor entry, shape or offsets array. */
const MAX_HEADER_DEPTH = 3;
/** Highest tensor rank accepted. */
const MAX_RANK = 16;

/** One tensor of a header: name, dtype, shape and its byte range in the data section. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** A decoded header: its tensors in file order and its string metadata. */
export interface SafetensorsHeader {
  readonly entries: readonly TensorEntry[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** Parses header bytes; only bytes and depth bound it (values and strings cannot outgrow the bytes). */
function parseHeader(bytes: Uint8Array, maxBytes: number): ReturnType<typeof parseBoundedJson> {
  return parseBoundedJson(bytes, {
    maxBytes,
    maxDepth: MAX_HEADER_DEPTH,
    maxValues: maxBytes,
    maxStringLength: maxBytes,
    maxNumberLength: maxBytes,
  });
}

/** This decoder's code for a refused header: a `__proto__` key counts against the part it sits in. */
function headerFailure<T>(error: BoundedJsonError): FileResult<T> {
  switch (error.reason) {
    case 'too_large':
      return fileFailure('header_too_large', error.message);
    case 'too_deep':
      return fileFailure('header_too_deep', `header nests deeper than ${MAX_HEADER_DEPTH}`);
    case 'duplicate_key':
      return fileFailure('duplicate_key', 'header repeats a key');
    case 'forbidden_key':
      return error.path[0] === '__metadata__'
        ? fileFailure('invalid_metadata', '__metadata__ has a __proto__ key')
        : fileFailure('invalid_entry', `${error.path.join('.')}: __proto__ is not allowed`);
    default:
      return fileFailure('header_not_json', `header is not valid UTF-8 JSON: ${error.message}`);
  }
}

/** The element count of a shape, or undefined unless it is at most MAX_RANK safe non-negative integers. */
function elementCount(shape: unknown): number | undefined {
  if (!Array.isArray(shape) || shape.length > MAX_RANK) return undefined;
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) return undefined;
    count *= dim;
  }
  return Number.isSafeInteger(count) ? count : undefined;
}

/** Checks one tensor entry against the data section's size. */
function decodeEntry(name: string, value: unknown, dataBytes: number): FileResult<TensorEntry> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fileFailure('invalid_entry', `${name}: not an object`);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
    return fileFailure('unknown_dtype', `${name}: dtype ${String(dtype)}`);
  }
  const count = elementCount(shape);
  if (count === undefined) {
    return fileFailure('invalid_shape', `${name}: shape must be at most ${MAX_RANK} non-negative integers`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    return fileFailure('invalid_offsets', `${name}: data_offsets must be [begin, end] with begin <= end`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataBytes) return fileFailure('out_of_range', `${name}: data ends at ${end} > ${dataBytes}`);
  if (count * (DTYPE_BYTES[dtype] ?? 0) !== end - begin) {
    return fileFailure('size_mismatch', `${name}: ${end - begin} bytes for shape [${shape}] ${dtype}`);
  }
  return { ok: true, value: { name, dtype, shape: shape as number[], begin, end } };
}

/**
 * Decodes a header's JSON bytes for a data section of `dataBytes` bytes: every tensor is checked and the
 * tensors must tile the data exactly (no overlaps, no holes, no unused bytes).
 */
export function decodeSafetensorsHeader(
  json: Uint8Array,
  dataBytes: number,
  maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES,
): FileResult<SafetensorsHeader> {
  const parsed = parseHeader(json, maxHeaderBytes);
  if (!parsed.ok) return headerFailure(parsed.error);
  const header = parsed.value;
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return fileFailure('header_not_object', 'header must be a JSON object');
  }
  const metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fileFailure('invalid_metadata', '__metadata__ must be an object of strings');
      }
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string')
          return fileFailure('invalid_metadata', `__metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const entry = decodeEntry(name, value, dataBytes);
    if (!entry.ok) return entry;
    entries.push(entry.value);
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    if (e.begin < expected) return fileFailure('overlapping_data', `${e.name} overlaps the previous tensor`);
    if (e.begin > expected) return fileFailure('gap_in_data', `unused bytes before ${e.name}`);
    expected = e.end;
  }
  if (expected !== dataBytes)
    return fileFailure('trailing_bytes', `${dataBytes - expected} unused bytes at end`);
  return { ok: true, value: { entries, metadata } };
}

/** The header length a file's 8-byte prefix declares, checked against the limit and the file's size. */
export function headerLength(
  prefix: Uint8Array,
  fileBytes: number,
  maxHeaderBytes: number,
): FileResult<number> {
  if (prefix.length < 8 || fileBytes < 8)
    return fileFailure('truncated', 'shorter than the 8-byte header length');
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(maxHeaderBytes)) return fileFailure('header_too_large', `header of ${length} bytes`);
  if (length > BigInt(fileBytes - 8)) return fileFailure('truncated', 'header runs past the end of file');
  return { ok: true, value: Number(length) };
}

/** Reads and decodes the header of a safetensors file (not its data), checked against the file's size. */
export async function readSafetensorsHeader(
  path: string,
  maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES,
): Promise<FileResult<SafetensorsHeader>> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const prefix = Buffer.alloc(8);
    const { bytesRead } = await handle.read(prefix, 0, 8, 0);
    const length = headerLength(prefix.subarray(0, bytesRead), size, maxHeaderBytes);
    if (!length.ok) return length;
    const json = Buffer.alloc(length.value);
    let filled = 0;
    while (filled < json.byteLength) {
      const read = await handle.read(json, filled, json.byteLength - filled, 8 + filled);
      if (read.bytesRead === 0) return fileFailure('truncated', 'the file shrank while being read');
      filled += read.bytesRead;
    }
    return decodeSafetensorsHeader(json, size - 8 - json.byteLength, maxHeaderBytes);
  } finally {
    await handle.close();
  }
}

/** Total number of elements (parameters) over a header's tensors. */
export function countTensorElements(header: SafetensorsHeader): number {
  return header.entries.reduce((sum, e) => sum + e.shape.reduce((product, dim) => product * dim, 1), 0);
}
