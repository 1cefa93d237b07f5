// Where base models are cached: --models-dir, else $ARENA_MODELS_DIR, else .arena/models under the repo root.
// The repo root is found by walking up to pnpm-workspace.yaml; outside a checkout the working directory is used.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(): string {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = start;
    for (;;) {
      if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}

/** The models directory to use, given an explicit choice and the environment. */
export function defaultModelsDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.ARENA_MODELS_DIR) return resolve(env.ARENA_MODELS_DIR);
  return join(repoRoot(), '.arena', 'models');
}
