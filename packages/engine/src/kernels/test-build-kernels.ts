// Vitest global setup: writes the generated WASM kernels beside their loader, as the build does,
// so tests on the TypeScript sources get the WASM backend without a prior `pnpm build`.

import { writeKernelsWasm } from './compile-wat.js';
import { kernelsWasmPath } from './load-wasm.js';

/** Generates src/kernels/kernels.generated.wasm (rewritten only when its bytes change). */
export async function setup(): Promise<void> {
  await writeKernelsWasm([kernelsWasmPath()]);
}
