import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Built-in plugins and generators import the public API by its package name; under vitest that name must reach
  // the TypeScript sources (the same module instances the tests use), not the compiled copy in dist/.
  resolve: { alias: [{ find: /^metarepo\/plugin$/, replacement: fileURLToPath(new URL('./src/api/plugin.ts', import.meta.url)) }] },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: e2e tests spawn the CLI and worker threads; more forks only thrash.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
