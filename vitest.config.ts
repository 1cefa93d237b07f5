// Root vitest config: one run over every workspace's tests, on the TypeScript sources.
// Workspace packages resolve to their src/ entry so tests never need a prior build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@tuning-arena/protocol': src('./packages/protocol/src/index.ts'),
      '@tuning-arena/node-kit': src('./packages/node-kit/src/index.ts'),
      '@tuning-arena/client': src('./packages/client/src/index.ts'),
      '@tuning-arena/sqlite': src('./packages/sqlite/src/index.ts'),
      '@tuning-arena/engine': src('./packages/engine/src/index.ts'),
      '@tuning-arena/datasets': src('./packages/datasets/src/index.ts'),
      '@tuning-arena/models': src('./packages/models/src/index.ts'),
      '@tuning-arena/validator': src('./apps/validator/src/index.ts'),
      '@tuning-arena/miner': src('./apps/miner/src/index.ts'),
      '@tuning-arena/demo': src('./apps/demo/src/index.ts'),
    },
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
