import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Build dist/ when it is older than the sources: tests spawn dist/pipeline/cli.js.
    globalSetup: ['tests/setup/build.ts'],
    // Remove each test file's temporary folders when it is done.
    setupFiles: ['tests/setup/cleanup.ts'],
  },
});
