// Safetensors reader and writer: 8-byte little-endian header length, JSON header, raw little-endian data.
// Decoding validates everything (sizes, dtypes, shapes, offsets) and never throws; float tensors
// (F32, F16, BF16, F64) decode to Float32Array, other dtypes keep their raw bytes. The header is untrusted:
// it is bounded in bytes and parsed by the protocol's strict bounded JSON parser (depth, duplicate and
// `__proto__` keys); this module only maps that parser's refusals to its own codes.

import { type BoundedJsonError, parseBoundedJson } from '@tuning-arena/protocol';
import { type FileResult, fileFailure } from '../errors.js';

/** Byte width of every dtype the safetensors format defines that we recognise. */
const DTYPE_BYTES: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
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

/** A decoded tensor: float dtypes are converted to float32 `data`; others keep `bytes`. */
export interface SafeTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Values as float32 (for F32/F16/BF16/F64 tensors). */
  readonly data?: Float32Array;
  /** Raw little-endian bytes (always present). */
  readonly bytes: Uint8Array;
}

/** Content of a safetensors file. */
interface SafetensorsFile {
  readonly tensors: Map<string, SafeTensor>;
  readonly metadata: Record<string, string>;
}

/** Limits applied while decoding untrusted files. */
export interface SafetensorsLimits {
  /** Largest accepted file in bytes (default 2 GiB). */
  readonly maxFileBytes?: number;
  /** Largest accepted JSON header in bytes (default 8 MiB; real models need well under 1 MiB). */
  readonly maxHeaderBytes?: number;
}

/** Default bound on a safetensors JSON header. */
const DEFAULT_MAX_HEADER_BYTES = 8 * 1024 * 1024;
/** Deepest nesting a safetensors header needs: header object, tensor entry, shape or offsets array. */
const MAX_HEADER_DEPTH = 3;

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

/** Serialises float32 tensors (in insertion order) plus optional string metadata. */
export function encodeSafetensors(
  tensors: Iterable<readonly [string, { shape: readonly number[]; data: Float32Array }]>,
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new RangeError(`tensor ${name}: shape does not match data length`);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + size * 4] };
    parts.push(t.data);
    offset += size * 4;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  const raw = new TextEncoder().encode(json);
  json += ' '.repeat((8 - ((8 + raw.length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  for (const data of parts) {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    out.set(bytes, pos);
    if (!littleEndian) {
      const view = new DataView(out.buffer, pos, data.byteLength);
      for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
    }
    pos += data.byteLength;
  }
  return out;
}

function toFloat32(dtype: string, bytes: Uint8Array, count: number): Float32Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  if (dtype === 'F32') {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (dtype === 'F64') {
    for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  } else if (dtype === 'BF16') {
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) u32[i] = view.getUint16(i * 2, true) << 16;
  } else if (dtype === 'F16') {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    return undefined;
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Decodes and validates a safetensors file; failures carry codes such as `unknown_dtype`. */
export function decodeSafetensors(
  bytes: Uint8Array,
  limits: SafetensorsLimits = {},
): FileResult<SafetensorsFile> {
  const maxFile = limits.maxFileBytes ?? 2 ** 31;
  const maxHeader = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (bytes.length > maxFile)
    return fileFailure('file_too_large', `${bytes.length} bytes > limit ${maxFile}`);
  if (bytes.length < 8) return fileFailure('truncated', 'shorter than the 8-byte header length');
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLen > BigInt(maxHeader)) return fileFailure('header_too_large', `header of ${headerLen} bytes`);
  if (headerLen > BigInt(bytes.length - 8))
    return fileFailure('truncated', 'header runs past the end of file');
  const hLen = Number(headerLen);
  const headerBytes = bytes.subarray(8, 8 + hLen);
  const parsed = parseHeader(headerBytes, maxHeader);
  if (!parsed.ok) return headerFailure(parsed.error);
  const header = parsed.value;
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return fileFailure('header_not_object', 'header must be a JSON object');
  }
  const data = bytes.subarray(8 + hLen);
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
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
    if (typeof value !== 'object' || value === null)
      return fileFailure('invalid_entry', `${name}: not an object`);
    const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
      return fileFailure('unknown_dtype', `${name}: dtype ${String(dtype)}`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      return fileFailure('invalid_shape', `${name}: shape must be non-negative integers`);
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
    if (end > data.length)
      return fileFailure('out_of_range', `${name}: data ends at ${end} > ${data.length}`);
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * DTYPE_BYTES[dtype]! !== end - begin) {
      return fileFailure('size_mismatch', `${name}: ${end - begin} bytes for shape [${shape}] ${dtype}`);
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // The format requires the tensors to tile the data section exactly: no overlaps, no holes.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    if (e.begin < expected) return fileFailure('overlapping_data', `${e.name} overlaps the previous tensor`);
    if (e.begin > expected) return fileFailure('gap_in_data', `unused bytes before ${e.name}`);
    expected = e.end;
  }
  if (expected !== data.length)
    return fileFailure('trailing_bytes', `${data.length - expected} unused bytes at end`);
  const tensors = new Map<string, SafeTensor>();
  for (const e of entries) {
    const raw = data.slice(e.begin, e.end);
    const count = e.shape.reduce((a, b) => a * b, 1);
    const floats = toFloat32(e.dtype, raw, count);
    tensors.set(
      e.name,
      floats
        ? { dtype: e.dtype, shape: e.shape, data: floats, bytes: raw }
        : { dtype: e.dtype, shape: e.shape, bytes: raw },
    );
  }
  return { ok: true, value: { tensors, metadata } };
}
