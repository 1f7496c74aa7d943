// Component tests in headless Chromium (Debian's), TypeScript through esbuild, with MSW's
// worker script served from node_modules so the mock runs in the test page.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CHROMIUM_ARGS, ensureChromium } from './scripts/chromium.mjs';
import { axTreePlugin } from './test/ui/ax-tree-plugin.mjs';

/** Writes pass/fail counts for scripts/test.mjs, which prints the combined closing line. */
function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      const walk = (suite) => {
        for (const t of suite?.tests ?? []) {
          if (t.skipped) continue;
          if (t.passed) passed++;
          else failed++;
        }
        for (const s of suite?.suites ?? []) walk(s);
      };
      for (const s of sessions) {
        walk(s.testResults);
        if (!s.passed && !s.testResults?.tests?.length && !s.testResults?.suites?.length) failed++;
      }
      mkdirSync('.cache', { recursive: true });
      writeFileSync('.cache/wtr-counts.json', JSON.stringify({ passed, failed }));
    },
  };
}

export default {
  files: ['test/ui/**/*.test.ts'],
  testsFinishTimeout: 180000,
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: ensureChromium(),
        headless: true,
        // Click-to-dial asks for the microphone: grant it with a fake device.
        args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }), axTreePlugin()],
  middleware: [
    (ctx, next) => {
      if (ctx.path === '/mockServiceWorker.js') {
        ctx.type = 'text/javascript';
        ctx.body = readFileSync('node_modules/msw/lib/mockServiceWorker.js', 'utf8');
        return;
      }
      return next();
    },
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
};
