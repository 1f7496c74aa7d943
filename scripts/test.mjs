// `npm test`: type-check, lint (Biome), the layering rules (dependency-cruiser), build, the bundle size budget, Node tests (vitest; the Redis tests start
// their own redis-server, installed here when missing) and browser tests (web-test-runner), then
// one closing line "N passed, N failed" over both suites. Exits non-zero when anything failed
// or no test ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ensureChromium } from './ensure-chromium.mjs';
import { ensureRedisServer } from './ensure-redis.mjs';

const bin = (name) => `node_modules/.bin/${name}`;
const step = (title, cmd, args) => {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  return r.status === 0;
};

mkdirSync('.cache', { recursive: true });
rmSync('.cache/vitest.json', { force: true });
rmSync('.cache/wtr-counts.json', { force: true });
const failures = [];
if (!step('type-check (tsc)', bin('tsc'), ['--noEmit'])) failures.push('type-check');
if (!step('lint and format (Biome)', bin('biome'), ['check', '--error-on-warnings', '.'])) failures.push('lint');
if (!step('layering (dependency-cruiser)', bin('depcruise'), ['widget', 'mock-server', 'demo', 'scripts', '--config', '.dependency-cruiser.cjs'])) failures.push('layering');
if (!step('build (rollup, then types with tsc)', bin('rollup'), ['-c', '--silent']) || !step('types (tsc)', bin('tsc'), ['-p', 'tsconfig.build.json'])) failures.push('build');
else if (!step('size budget', process.execPath, ['scripts/check-size.mjs'])) failures.push('size budget');
process.env.CHROME_PATH = ensureChromium();
process.env.REDIS_SERVER = ensureRedisServer();
const nodeOk = step('Node tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=.cache/vitest.json']);
const browserOk = step('browser tests (web-test-runner, Chromium)', bin('web-test-runner'), []);

let passed = 0;
let failed = 0;
if (existsSync('.cache/vitest.json')) {
  const v = JSON.parse(readFileSync('.cache/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
} else failures.push('vitest (no report)');
if (!nodeOk) failures.push('vitest');
if (existsSync('.cache/wtr-counts.json')) {
  const w = JSON.parse(readFileSync('.cache/wtr-counts.json', 'utf8'));
  passed += w.passed;
  failed += w.failed;
} else failures.push('web-test-runner (no report)');
if (!browserOk) failures.push('web-test-runner');

if (failures.length) console.log(`\nFailed: ${[...new Set(failures)].join(', ')}`);
if (passed + failed === 0) console.log('No test ran.');
const line = `${passed} passed, ${failed} failed`;
writeFileSync('.cache/test-summary.txt', `${line}\n`);
console.log(line);
process.exit(failures.length || failed || passed === 0 ? 1 : 0);
