// Root vitest config: one run over every workspace's tests, on the TypeScript sources.
// Workspace packages resolve to their src/ entry so tests never need a prior build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Exact matches, so a package's subpath (`@tuning-arena/protocol/fixtures`) is not rewritten as its root.
    alias: [
      {
        find: /^@tuning-arena\/protocol\/fixtures$/,
        replacement: src('./packages/protocol/src/fixtures.ts'),
      },
      { find: /^@tuning-arena\/protocol$/, replacement: src('./packages/protocol/src/index.ts') },
      { find: /^@tuning-arena\/random$/, replacement: src('./packages/random/src/index.ts') },
      { find: /^@tuning-arena\/node-kit$/, replacement: src('./packages/node-kit/src/index.ts') },
      { find: /^@tuning-arena\/client$/, replacement: src('./packages/client/src/index.ts') },
      { find: /^@tuning-arena\/sqlite$/, replacement: src('./packages/sqlite/src/index.ts') },
      { find: /^@tuning-arena\/engine$/, replacement: src('./packages/engine/src/index.ts') },
      { find: /^@tuning-arena\/datasets$/, replacement: src('./packages/datasets/src/index.ts') },
      { find: /^@tuning-arena\/models$/, replacement: src('./packages/models/src/index.ts') },
      {
        find: /^@tuning-arena\/validator\/cli-process$/,
        replacement: src('./apps/validator/src/cli-process.ts'),
      },
      { find: /^@tuning-arena\/validator$/, replacement: src('./apps/validator/src/index.ts') },
      { find: /^@tuning-arena\/miner$/, replacement: src('./apps/miner/src/index.ts') },
      { find: /^@tuning-arena\/demo$/, replacement: src('./apps/demo/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tests/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Generates the engine's WASM kernels from their WAT generator, as `pnpm build` does.
    globalSetup: ['packages/engine/src/kernels/test-build-kernels.ts'],
  },
});
