// Staging of operands that live outside wasm memory: copied into a scratch region for one kernel call
// and copied back afterwards when the kernel writes them. Operands from `alloc` pass through untouched.

import type { WasmArena } from './wasm-arena.js';

/** How a kernel uses an operand: read it, write it, or both. */
type StageMode = 'in' | 'out' | 'inout';

/** Per-call staging of operands into wasm memory. */
interface Stager {
  /** The operand's wasm address (0 for null), copying it into scratch when it lives outside wasm memory. */
  ptr(array: Float32Array | null, length: number, mode: StageMode): number;
  /** Copies staged outputs back into their arrays and recycles the scratch. */
  done(): void;
  /** Forgets staged operands without copying anything back (after a failed call). */
  reset(): void;
}

const up64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

/** Creates a stager over `arena` (one call at a time: every `ptr` sequence ends with `done`). */
export function createStager(arena: WasmArena): Stager {
  let chunk = 0;
  let chunkBytes = 0;
  let used = 0;
  const retired: number[] = [];
  const outs: { array: Float32Array; address: number; length: number }[] = [];
  const reset = () => {
    outs.length = 0;
    for (const address of retired) arena.freeBytes(address);
    retired.length = 0;
    used = 0;
  };
  return {
    ptr(array, length, mode) {
      if (!array) return 0;
      if (arena.owns(array)) return array.byteOffset;
      const bytes = up64(length * 4);
      if (used + bytes > chunkBytes) {
        // Earlier staged operands keep their addresses until done(), so the old chunk is retired, not freed.
        if (chunkBytes) retired.push(chunk);
        chunkBytes = Math.max(bytes, chunkBytes * 2, 1 << 20);
        chunk = arena.allocBytes(chunkBytes);
        used = 0;
      }
      const address = chunk + used;
      used += bytes;
      if (mode !== 'out') new Float32Array(arena.buffer(), address, length).set(array.subarray(0, length));
      if (mode !== 'in') outs.push({ array, address, length });
      return address;
    },
    done() {
      const buffer = arena.buffer();
      for (const o of outs) o.array.set(new Float32Array(buffer, o.address, o.length));
      reset();
    },
    reset,
  };
}
