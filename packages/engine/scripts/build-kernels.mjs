// Build step of the engine: generate the WASM kernels (WAT -> wasm with wabt) after `tsc -b`.
// Writes the binary beside the sources (for tests and tsx-free runs) and into dist/ (for the package).
import { fileURLToPath } from 'node:url';
import { writeKernelsWasm } from '../dist/kernels/compile-wat.js';
import { KERNELS_WASM_FILE } from '../dist/kernels/load-wasm.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const bytes = await writeKernelsWasm([
  here(`../src/kernels/${KERNELS_WASM_FILE}`),
  here(`../dist/kernels/${KERNELS_WASM_FILE}`),
]);
console.log(`kernels: ${KERNELS_WASM_FILE} (${bytes.length} bytes)`);
