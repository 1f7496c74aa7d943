/**
 * `npm run bench:before-after -- --before DIR [--runs N] [--only GROUPS]`: the bench's table for
 * the widget build in DIR (the "before": `npm run build` in a checkout of the commit to compare
 * with), then for this checkout's build (the "after"), one after the other in one sitting, each
 * measured with this checkout's pages, floors, probes and mock (bench.ts `--dist`), so the two
 * differ only in the widget. Each table's header names the commit its build was made from. The
 * long-task detail of both goes to stderr, as with `npm run bench`. A bad command line is one
 * sentence and exit 2; a bench that fails stops it with the bench's exit status.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { BEFORE_AFTER_OPTIONS, beforeAfterOptions, optionsOrExit } from './options.js';

const { before, runs, only } = optionsOrExit(
  beforeAfterOptions(process.argv.slice(2)),
  'npm run bench:before-after -- --before DIR [options]',
  "The bench's table for the build in DIR, then for this checkout's, in one sitting.",
  BEFORE_AFTER_OPTIONS,
);
const passed = ['--runs', String(runs), ...(only ? ['--only', [...only].join(',')] : [])];

/** Runs the bench on the build in `dist` with this process's streams; resolves its exit status. */
const bench = (dist: string) =>
  new Promise<number>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/bench.ts', '--dist', dist, ...passed], { stdio: 'inherit' });
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });

for (const dist of [before, resolve('dist')]) {
  const code = await bench(dist);
  if (code !== 0) process.exit(code);
}
