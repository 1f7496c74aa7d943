// `npm start`: installs the dependencies when they are missing, builds what the demo serves, and
// serves the demo. Each slow step says first what it does and about how long it takes (times of
// a quiet 2-core machine), then how long it took; the demo server prints its URL once its port
// accepts connections (demo/serve.ts prints it from the listen callback).
//
// The build is the part of `npm run build` the demo page loads: the script-tag loader
// (dist/cec-chat.js), the widget module and its chunks (dist/cec-chat.esm.js, dist/chunks/) and
// the demo's own bundle (dist/demo/). The npm package's builds (dist/esm and its declarations,
// dist/server, dist/mock, the framework examples) take more than half of the full build's time
// and nothing on the demo's pages loads them: `npm run build` makes them, and `npm test` and
// `npm pack` (prepack) run it.
import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const since = (t0) => `${Math.round((performance.now() - t0) / 1000)} s`;

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('Installing the dependencies (npm ci: about 20 s the first time)…');
  const t0 = performance.now();
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
  console.log(`Installed in ${since(t0)}.`);
}

/** The outputs of rollup.config.mjs that the demo's pages load (demo/index.html, demo/embed.html). */
const servedByDemo = (output) => output.file === 'dist/cec-chat.js' || output.dir === 'dist' || output.dir === 'dist/demo';

// Imported only now: on a fresh clone rollup is there once npm ci has run.
const { rollup } = await import('rollup');
const { loadConfigFile } = await import('rollup/loadConfigFile');
const { options, warnings } = await loadConfigFile(resolve('rollup.config.mjs'), { silent: true });
const builds = options.filter((o) => o.output.some(servedByDemo));
console.log(`Building the widget and the demo page (${builds.length} of the ${options.length} rollup builds, about 30 s)…`);
const t0 = performance.now();
try {
  for (const build of builds) {
    const bundle = await rollup(build);
    for (const output of build.output) await bundle.write(output);
    await bundle.close();
  }
} catch (e) {
  warnings.flush(); // the type errors behind a failed build come as warnings first
  console.error(`The build failed: ${e.message}${e.frame ? `\n${e.frame}` : ''}`);
  process.exit(1);
}
console.log(`Built in ${since(t0)} (the npm package's builds are left to npm run build, which npm test and npm pack run).`);

console.log('Starting the demo server (a few seconds)…');
const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'demo/serve.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
