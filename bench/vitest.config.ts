import { defineConfig } from 'vitest/config';

// The bench's own tests (helpers and the polars peer on hand-made data): beside the
// suite, not in it. Run: TZ=UTC npx vitest run --config bench/vitest.config.ts
export default defineConfig({
  test: {
    include: ['bench/tests/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
