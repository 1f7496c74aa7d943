import { defineConfig } from 'vitest/config';

// Node tests: the pure core, the client against msw/node, the mock contact center, and the
// end-to-end demo tests (playwright-core driving Debian's Chromium). Component tests run in
// Chromium through web-test-runner (test/ui).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/ui/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 10_000,
    hookTimeout: 30_000,
  },
});
