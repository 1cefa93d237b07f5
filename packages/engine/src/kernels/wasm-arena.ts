// Allocator over a shared WebAssembly.Memory: bump allocation plus exact-size free lists.
// Shared memory never detaches old views when it grows, so handed-out views stay valid forever.

import { EngineError } from '../errors.js';
import { type WasmMemory, wasm } from './wasm-api.js';
import { MAX_MEMORY_PAGES } from './wat-gen.js';

/** Bytes below this address are never handed out (so no buffer sits at address 0). */
const ARENA_BASE = 1024;
const ALIGN = 64;
const PAGE = 65536;

/** A bump/free-list allocator over one shared wasm memory. */
export interface WasmArena {
  readonly memory: WasmMemory;
  /** Allocates `bytes` (64-byte aligned) and returns the byte address; contents are zero. */
  allocBytes(bytes: number): number;
  /** Returns a block from `allocBytes` for reuse. */
  freeBytes(address: number): void;
  /** True when `array` is a view into this memory (so its byteOffset is a wasm address). */
  owns(array: ArrayBufferView): boolean;
  /** The newest buffer of the memory (covers every allocated byte). */
  buffer(): SharedArrayBuffer;
}

/** Creates a shared memory and an allocator over it. */
export function createWasmArena(initialPages = 16): WasmArena {
  const memory = new wasm.Memory({ initial: initialPages, maximum: MAX_MEMORY_PAGES, shared: true });
  // Every buffer object the memory ever returned: each of them is a valid window on it.
  const buffers = new WeakSet<ArrayBufferLike>();
  let current = memory.buffer as unknown as SharedArrayBuffer;
  buffers.add(current);
  let top = ARENA_BASE;
  const sizes = new Map<number, number>();
  const free = new Map<number, number[]>();

  const refresh = () => {
    current = memory.buffer as unknown as SharedArrayBuffer;
    buffers.add(current);
  };

  const allocBytes = (bytes: number): number => {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const reuse = free.get(size)?.pop();
    if (reuse !== undefined) {
      sizes.set(reuse, size);
      new Uint8Array(current, reuse, size).fill(0);
      return reuse;
    }
    const address = top;
    const end = address + size;
    if (end > current.byteLength) {
      const pages = Math.ceil((end - current.byteLength) / PAGE);
      try {
        memory.grow(Math.max(pages, Math.ceil(current.byteLength / PAGE / 4)));
      } catch {
        try {
          memory.grow(pages);
        } catch (cause) {
          throw new EngineError('kernels_out_of_memory', `cannot grow wasm memory to ${end} bytes`, {
            cause,
          });
        }
      }
      refresh();
    }
    top = end;
    sizes.set(address, size);
    return address;
  };

  return {
    memory,
    allocBytes,
    freeBytes(address) {
      const size = sizes.get(address);
      if (size === undefined) return;
      sizes.delete(address);
      let list = free.get(size);
      if (!list) free.set(size, (list = []));
      list.push(address);
    },
    owns: (array) => buffers.has(array.buffer),
    buffer: () => current,
  };
}
