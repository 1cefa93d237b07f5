// Synchronous loader of the build-time kernels binary that sits next to this module.
// Does not compile WAT (that needs wabt, a build-time tool); a missing file is a coded error.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../errors.js';
import { type WasmModule, wasm } from './wasm-api.js';

/** File name of the generated kernels binary, beside this module in src/ and dist/. */
export const KERNELS_WASM_FILE = 'kernels.generated.wasm';

/** Absolute path where the generated kernels binary is written (beside this module). */
export function kernelsWasmPath(): string {
  return fileURLToPath(new URL(`./${KERNELS_WASM_FILE}`, import.meta.url));
}

// A bare `tsc -b` of the workspace skips the copy into dist/; the source-tree file (written by the build or
// the test setup) then serves, so compiled code does not silently fall back to the reference kernels.
function findKernelsWasm(): string | undefined {
  const candidates = [
    kernelsWasmPath(),
    fileURLToPath(new URL(`../../src/kernels/${KERNELS_WASM_FILE}`, import.meta.url)),
  ];
  return candidates.find((path) => existsSync(path));
}

let cached: WasmModule | undefined;

/** True when the generated kernels binary exists. */
export function wasmKernelsAvailable(): boolean {
  return cached !== undefined || findKernelsWasm() !== undefined;
}

/** Compiles (once, synchronously) the generated kernels binary; throws `kernels_not_built` if it is missing. */
export function loadKernelsModule(): WasmModule {
  if (cached) return cached;
  const path = findKernelsWasm();
  if (!path) {
    throw new EngineError(
      'kernels_not_built',
      `WASM kernels are not built (${kernelsWasmPath()} is missing): run \`pnpm --filter @tuning-arena/engine build\``,
    );
  }
  cached = new wasm.Module(readFileSync(path));
  return cached;
}
