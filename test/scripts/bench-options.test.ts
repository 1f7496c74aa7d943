/**
 * The bench's command lines (scripts/bench/options.ts): `--runs`, `--only` and `--dist` of
 * `npm run bench`, `--before` of `npm run bench:before-after`; which URL paths are the widget's
 * files of a build (and none outside its folder); the commit a build folder names. A bad
 * `--dist` stops the bench at once, with one sentence naming the flag and the path.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beforeAfterOptions, benchOptions, buildCommit, widgetFile } from '../../scripts/bench/options.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let tmp: string;
/** A folder holding `files` (empty ones) under tmp. */
const folder = (name: string, files: string[]) => {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f), '');
  return dir;
};

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'bench-options-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run bench options', () => {
  it("defaults to medians of 5, every group and this checkout's dist, unnamed in the header", () => {
    expect(benchOptions([], tmp)).toEqual({ kind: 'ok', options: { runs: 5, only: null, dist: join(tmp, 'dist'), distGiven: false } });
  });

  it('takes --runs and --only', () => {
    const r = benchOptions(['--runs', '1', '--only', 'box,msg'], tmp);
    expect(r).toEqual({ kind: 'ok', options: { runs: 1, only: new Set(['box', 'msg']), dist: join(tmp, 'dist'), distGiven: false } });
  });

  it.each([
    [['--runs', '0'], '--runs must be an integer from 1 to 100 (got "0").'],
    [['--runs', 'x'], '--runs must be an integer from 1 to 100 (got "x").'],
    [['--only', 'box,speed'], '--only must name groups among bytes, start, box, msg, transcript (got "box,speed").'],
    [['--dits', 'x'], 'Unknown option --dits; see --help.'],
  ])('%j is refused in one sentence', (argv, message) => {
    expect(benchOptions(argv, tmp)).toEqual({ kind: 'error', message });
  });

  it('--dist: a build folder with the script tag files, relative to the working folder, named in the header', () => {
    const dir = folder('build-ok', ['cec-chat.js', 'cec-chat.esm.js']);
    expect(benchOptions(['--dist', 'build-ok'], tmp)).toEqual({ kind: 'ok', options: { runs: 5, only: null, dist: dir, distGiven: true } });
  });

  it('--dist: no folder there, a file, or a folder without cec-chat.js is one sentence naming the flag and the path', () => {
    const file = join(folder('plain', ['notes.txt']), 'notes.txt');
    folder('no-tag', ['cec-chat.esm.js']);
    folder('no-module', ['cec-chat.js']);
    expect(benchOptions(['--dist', 'gone'], tmp)).toEqual({ kind: 'error', message: `--dist gone: there is no folder at ${join(tmp, 'gone')}.` });
    expect(benchOptions(['--dist', file], tmp)).toEqual({ kind: 'error', message: `--dist ${file}: ${file} is a file, not a build's dist folder.` });
    expect(benchOptions(['--dist', 'no-tag'], tmp)).toEqual({ kind: 'error', message: `--dist no-tag: ${join(tmp, 'no-tag')} has no cec-chat.js (run npm run build in that checkout first).` });
    expect(benchOptions(['--dist', 'no-module'], tmp)).toEqual({
      kind: 'error',
      message: `--dist no-module: ${join(tmp, 'no-module')} has no cec-chat.esm.js (run npm run build in that checkout first).`,
    });
  });
});

describe('npm run bench:before-after options', () => {
  it('needs --before, checked as --dist is, and passes --runs and --only on', () => {
    const dir = folder('before-ok', ['cec-chat.js', 'cec-chat.esm.js']);
    expect(beforeAfterOptions(['--runs', '1'], tmp)).toEqual({ kind: 'error', message: '--before DIR is required: the dist folder of the build to compare with.' });
    expect(beforeAfterOptions(['--before', 'gone'], tmp)).toEqual({ kind: 'error', message: `--before gone: there is no folder at ${join(tmp, 'gone')}.` });
    expect(beforeAfterOptions(['--before', 'before-ok', '--runs', '1', '--only', 'start'], tmp)).toEqual({ kind: 'ok', options: { before: dir, runs: 1, only: new Set(['start']) } });
    expect(beforeAfterOptions(['--dist', 'before-ok'], tmp)).toEqual({ kind: 'error', message: 'Unknown option --dist; see --help.' });
  });
});

describe('widgetFile', () => {
  const dist = '/builds/before/dist';
  it.each([
    ['/dist/cec-chat.js', `${dist}/cec-chat.js`],
    ['/dist/cec-chat.esm.js', `${dist}/cec-chat.esm.js`],
    ['/dist/chunks/panel-B8yrHR_w.js', `${dist}/chunks/panel-B8yrHR_w.js`],
  ])("%s is the build's %s", (path, file) => {
    expect(widgetFile(dist, path)).toBe(file);
  });

  it.each(['/dist/demo/embed.js', '/dist/esm/index.js', '/demo/embed.html', '/dist/chunks/../../package.json', '/dist/chunks/../cec-chat.js', '/dist/../cec-chat.js', '/cec-chat.js'])(
    '%s is not a widget file of the build',
    (path) => {
      expect(widgetFile(dist, path)).toBeNull();
    },
  );
});

describe('buildCommit', () => {
  const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { encoding: 'utf8' }).trim();

  it('names the short commit of the checkout a build folder is in, and says when its tracked files were changed', () => {
    const repo = folder('repo', ['README.md']);
    git(repo, 'init', '-q');
    git(repo, 'add', 'README.md');
    git(repo, 'commit', '-q', '-m', 'first');
    const dist = folder('repo/dist', ['cec-chat.js']);
    const commit = git(repo, 'rev-parse', '--short', 'HEAD');
    expect(buildCommit(dist)).toBe(commit);
    writeFileSync(join(repo, 'README.md'), 'changed');
    expect(buildCommit(dist)).toBe(`${commit} + uncommitted changes`);
  });

  it('says so for a folder in no git checkout', () => {
    const dir = folder('loose', ['cec-chat.js']);
    expect(buildCommit(dir)).toBe('a folder in no git checkout (commit unknown)');
  });
});

describe('the bench with a bad --dist', () => {
  it('stops before measuring anything: exit 2 and one sentence naming the flag and the path', async () => {
    const gone = join(tmp, 'no-such-build');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/bench.ts', '--dist', gone, '--runs', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(2);
    expect(err).toBe(`--dist ${gone}: there is no folder at ${gone}.\n`);
    expect(out).toBe('');
  }, 60_000);
});
