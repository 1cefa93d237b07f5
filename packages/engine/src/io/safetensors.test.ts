import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

function file(header: unknown, dataBytes: number, headerLenOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, headerLenOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

function code(bytes: Uint8Array, limits?: Parameters<typeof decodeSafetensors>[1]): string {
  const r = decodeSafetensors(bytes, limits);
  return r.ok ? 'ok' : r.error.code;
}

describe('safetensors', () => {
  it('round-trips float32 tensors and metadata bit-exactly', () => {
    const a = new Float32Array([1.5, -0, Number.NaN, 3e-39]);
    const b = new Float32Array([7]);
    const bytes = encodeSafetensors(
      [
        ['a', { shape: [2, 2], data: a }],
        ['b', { shape: [1], data: b }],
      ],
      { format: 'pt' },
    );
    expect((8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))) % 8).toBe(0);
    const r = decodeSafetensors(bytes);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.metadata).toEqual({ format: 'pt' });
    expect(new Uint8Array(r.value.tensors.get('a')!.data!.buffer)).toEqual(new Uint8Array(a.buffer));
    expect(r.value.tensors.get('b')!.shape).toEqual([1]);
  });

  it('converts F16 and BF16 tensors to float32', () => {
    const bytes = file(
      {
        h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
        b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] },
      },
      6,
    );
    const h = bytes.length - 6;
    const view = new DataView(bytes.buffer);
    view.setUint16(h, 0x3c00, true); // 1.0
    view.setUint16(h + 2, 0xc000, true); // -2.0
    view.setUint16(h + 4, 0x4049, true); // bf16 3.140625
    const r = decodeSafetensors(bytes);
    if (!r.ok) throw new Error(r.error.code);
    expect(Array.from(r.value.tensors.get('h')!.data!)).toEqual([1, -2]);
    expect(r.value.tensors.get('b')!.data![0]).toBeCloseTo(3.140625, 6);
  });

  it('rejects malformed files with a code', () => {
    const t = (offsets: unknown, extra: Record<string, unknown> = {}) => ({
      t: { dtype: 'F32', shape: [2], data_offsets: offsets },
      ...extra,
    });
    expect(code(new Uint8Array(4))).toBe('truncated');
    expect(code(file(t([0, 8]), 8, 10_000n))).toBe('truncated');
    expect(code(file(t([0, 8]), 8, 2n ** 40n))).toBe('header_too_large');
    expect(code(file('{"t": nope', 0))).toBe('header_not_json');
    expect(code(file('[1,2]', 0))).toBe('header_not_object');
    expect(code(file({ t: { dtype: 'F8_E9', shape: [2], data_offsets: [0, 2] } }, 2))).toBe('unknown_dtype');
    expect(code(file({ t: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }, 0))).toBe('invalid_shape');
    expect(code(file(t([8, 0]), 8))).toBe('invalid_offsets');
    expect(code(file(t([0, 16]), 8))).toBe('out_of_range');
    expect(code(file(t([0, 4]), 8))).toBe('size_mismatch');
    expect(code(file(t([0, 8], { u: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }), 12))).toBe(
      'overlapping_data',
    );
    expect(code(file(t([4, 12]), 12))).toBe('gap_in_data');
    expect(code(file(t([0, 8]), 12))).toBe('trailing_bytes');
    expect(code(file(t([0, 8], { __metadata__: { a: 1 } }), 8))).toBe('invalid_metadata');
    expect(code(file(t([0, 8]), 8), { maxFileBytes: 16 })).toBe('file_too_large');
    expect(code(file(t([0, 8]), 8))).toBe('ok');
  });
});
