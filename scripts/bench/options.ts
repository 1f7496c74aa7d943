/**
 * The command lines of `npm run bench` (scripts/bench/bench.ts) and `npm run bench:before-after`
 * (scripts/bench/before-after.ts), and where the widget's files of a build are: the script tag
 * `cec-chat.js`, the widget module `cec-chat.esm.js` it imports and the `chunks/` that module
 * imports (the panel, translations), all found relative to the script tag's own URL. Everything
 * else a bench page loads (the pages, the floors, the probes, the demo's embed page and the mock)
 * comes from the checkout the bench runs in, so two builds measured with `--dist` differ only in
 * the widget.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { helpText, numberOption, parseCli, type CliOptions } from '../../mock-server/http/cli-args.js';

/** The groups of figures `--only` may name, in the order the bench measures them. */
export const BENCH_GROUPS = ['bytes', 'start', 'box', 'msg', 'transcript'] as const;

/** `npm run bench`'s options (node:util parseArgs through the mock's CLI table). */
export const BENCH_OPTIONS: CliOptions = {
  runs: { type: 'string', default: '5', value: 'N', description: 'Each figure is the median of N runs (1 to 100)' },
  only: { type: 'string', value: 'GROUPS', description: `Measure only these groups, comma-separated (${BENCH_GROUPS.join(', ')}); the others print as —` },
  dist: {
    type: 'string',
    value: 'DIR',
    description: "Measure the widget files of another build (DIR/cec-chat.js, cec-chat.esm.js and chunks/) with this checkout's pages, floors, probes and mock",
  },
};

/** `npm run bench:before-after`'s options: the bench's, with the "before" build instead of --dist. */
export const BEFORE_AFTER_OPTIONS: CliOptions = {
  before: { type: 'string', value: 'DIR', description: 'The dist folder of the "before" build (npm run build in a checkout of the commit to compare with)' },
  runs: BENCH_OPTIONS.runs!,
  only: BENCH_OPTIONS.only!,
};

/** What a bench run measures: medians of `runs`, the groups of `only` (null: all) and the widget build in `dist` (an absolute path). */
export interface BenchOptions {
  runs: number;
  only: Set<string> | null;
  dist: string;
  /** Whether `dist` was given on the command line (the table's header then names the build). */
  distGiven: boolean;
}

/** The outcome of reading a command line: options, `help` (print the text), or one sentence saying what is wrong. */
export type Parsed<T> = { kind: 'ok'; options: T } | { kind: 'help' } | { kind: 'error'; message: string };

/** The files a widget build must hold for the bench to load and weigh it. */
const REQUIRED = ['cec-chat.js', 'cec-chat.esm.js'];

/**
 * The absolute path of a widget build's folder given as option `--flag`, relative to `cwd`, or a
 * sentence naming the flag and the path when it is no folder or lacks the script tag's files
 * (`cec-chat.js`, `cec-chat.esm.js`): a build that cannot be measured fails before anything runs.
 */
export function distFolder(flag: string, given: string, cwd = process.cwd()): string | { error: string } {
  const dir = resolve(cwd, given);
  if (!existsSync(dir)) return { error: `--${flag} ${given}: there is no folder at ${dir}.` };
  if (!statSync(dir).isDirectory()) return { error: `--${flag} ${given}: ${dir} is a file, not a build's dist folder.` };
  const missing = REQUIRED.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) return { error: `--${flag} ${given}: ${dir} has no ${missing.join(' or ')} (run npm run build in that checkout first).` };
  return dir;
}

/** `--runs` and `--only` as BenchOptions takes them, or a sentence naming the bad one. */
function runsAndOnly(values: Record<string, unknown>): { runs: number; only: Set<string> | null } | string {
  const runs = numberOption(values, 'runs', 1, 100, true);
  if (typeof runs === 'string') return runs;
  if (values.only === undefined) return { runs, only: null };
  const only = String(values.only)
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const unknown = only.filter((g) => !(BENCH_GROUPS as readonly string[]).includes(g));
  if (!only.length || unknown.length) return `--only must name groups among ${BENCH_GROUPS.join(', ')} (got "${String(values.only)}").`;
  return { runs, only: new Set(only) };
}

/**
 * Reads `npm run bench`'s command line (`argv` without the node and script paths). Without
 * `--dist` the build measured is `dist` in `cwd` (this checkout's), which is not checked here:
 * the bench's own build step makes it.
 */
export function benchOptions(argv: string[], cwd = process.cwd()): Parsed<BenchOptions> {
  const parsed = parseCli(argv, BENCH_OPTIONS);
  if (parsed.kind !== 'ok') return parsed;
  const common = runsAndOnly(parsed.values);
  if (typeof common === 'string') return { kind: 'error', message: common };
  if (parsed.values.dist === undefined) return { kind: 'ok', options: { ...common, dist: resolve(cwd, 'dist'), distGiven: false } };
  const dist = distFolder('dist', String(parsed.values.dist), cwd);
  if (typeof dist !== 'string') return { kind: 'error', message: dist.error };
  return { kind: 'ok', options: { ...common, dist, distGiven: true } };
}

/** Reads `npm run bench:before-after`'s command line: `--before DIR` is required and checked as `--dist` is. */
export function beforeAfterOptions(argv: string[], cwd = process.cwd()): Parsed<{ before: string; runs: number; only: Set<string> | null }> {
  const parsed = parseCli(argv, BEFORE_AFTER_OPTIONS);
  if (parsed.kind !== 'ok') return parsed;
  const common = runsAndOnly(parsed.values);
  if (typeof common === 'string') return { kind: 'error', message: common };
  if (parsed.values.before === undefined) return { kind: 'error', message: '--before DIR is required: the dist folder of the build to compare with.' };
  const before = distFolder('before', String(parsed.values.before), cwd);
  if (typeof before !== 'string') return { kind: 'error', message: before.error };
  return { kind: 'ok', options: { ...common, before } };
}

/**
 * The options of a command line read by benchOptions or beforeAfterOptions; for `--help` prints
 * the help text (`usage`, `about`, each option of `table`) and exits 0, for a bad command line
 * prints its one sentence on stderr and exits 2.
 */
export function optionsOrExit<T>(parsed: Parsed<T>, usage: string, about: string, table: CliOptions): T {
  if (parsed.kind === 'ok') return parsed.options;
  if (parsed.kind === 'help') console.log(helpText(usage, about, table));
  else console.error(parsed.message);
  return process.exit(parsed.kind === 'help' ? 0 : 2);
}

/**
 * The file behind a widget URL path (`/dist/cec-chat.js`, `/dist/cec-chat.esm.js`,
 * `/dist/chunks/NAME`) in the build folder `dist`, or null for any other path (the demo's own
 * files under `/dist/demo/` among them) and for a path that would leave the folder.
 */
export function widgetFile(dist: string, urlPath: string): string | null {
  if (!urlPath.startsWith('/dist/')) return null;
  const rest = urlPath.slice('/dist/'.length);
  if (!REQUIRED.includes(rest) && !rest.startsWith('chunks/')) return null;
  const file = normalize(join(dist, rest));
  const inside = relative(join(dist, 'chunks'), file);
  if (!REQUIRED.includes(rest) && (inside.startsWith('..') || isAbsolute(inside))) return null;
  return file;
}

/**
 * Which commit a build folder was made from, as far as git can tell: the short commit of the
 * checkout the folder is in, "+ uncommitted changes" when that checkout's tracked files differ
 * from it, or a sentence saying it is in no git checkout. (The folder holds what `npm run build`
 * made there last: build again after checking out another commit.)
 */
export function buildCommit(dist: string): string {
  const git = (...args: string[]) => execFileSync('git', ['-C', dist, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') ? `${commit} + uncommitted changes` : commit;
  } catch {
    return 'a folder in no git checkout (commit unknown)';
  }
}
