// Build-time compiler of the kernels: WAT text -> wasm bytes with the `wabt` package, and writing the file.
// Only the build script and the test setup import this; runtime code never loads wabt.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import wabt from 'wabt';
import { generateKernelsWat, type WatOptions } from './wat-gen.js';

/** Compiles the generated kernels WAT to wasm bytes. */
export async function compileKernelsWasm(opts: WatOptions = {}): Promise<Uint8Array> {
  const tools = await wabt();
  const features = { simd: true, threads: true, relaxed_simd: opts.fma === true };
  const mod = tools.parseWat('kernels.wat', generateKernelsWat(opts), features);
  try {
    mod.resolveNames();
    // wabt's validate takes the feature set too, though its typings omit the parameter.
    (mod.validate as (options: typeof features) => void)(features);
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

/** Writes the compiled kernels to each path, skipping files whose bytes are already identical. */
export async function writeKernelsWasm(paths: readonly string[]): Promise<Uint8Array> {
  const bytes = await compileKernelsWasm();
  for (const path of paths) {
    const old = await readFile(path).catch(() => undefined);
    if (old && Buffer.compare(old, bytes) === 0) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }
  return bytes;
}
