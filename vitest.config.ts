import { defineConfig } from 'vitest/config';

// Unit tests sit next to their code (src/**), cross-cutting ones under test/.
// Two cores: forks keep PGlite's WASM heaps in separate processes.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules', 'web/**', 'data/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
