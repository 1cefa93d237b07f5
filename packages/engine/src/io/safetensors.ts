// Safetensors reader and writer: 8-byte little-endian header length, JSON header, raw little-endian data.
// Decoding validates everything (the header through safetensors-header.ts: sizes, dtypes, shapes, offsets)
// and never throws; float tensors (F32, F16, BF16, F64) decode to Float32Array, other dtypes keep their raw
// bytes.

import { type FileResult, fileFailure } from '../errors.js';
import { DEFAULT_MAX_HEADER_BYTES, decodeSafetensorsHeader, headerLength } from './safetensors-header.js';

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
  const length = headerLength(bytes.subarray(0, 8), bytes.length, maxHeader);
  if (!length.ok) return length;
  const data = bytes.subarray(8 + length.value);
  const header = decodeSafetensorsHeader(bytes.subarray(8, 8 + length.value), data.length, maxHeader);
  if (!header.ok) return header;
  const { entries, metadata } = header.value;
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
