// Minimal typed handle on the global WebAssembly object: lib.dom is off and @types/node 20 does not declare it.
// Declares only what the kernels use; no global augmentation, so it cannot clash with other typings.

/** A compiled WebAssembly module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A WebAssembly linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** An instantiated module's exports. */
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmGlobal {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (desc: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The runtime's WebAssembly namespace. */
export const wasm = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;

/** True when `value` is a compiled WebAssembly module. */
export function isWasmModule(value: unknown): value is WasmModule {
  return value instanceof (wasm.Module as unknown as new () => object);
}
