/**
 * The package as an integrator gets it: `npm pack` (after the build `npm test` ran), installed
 * from the tarball into a scratch project, every entry imported in Node where it can run there
 * (server, mock) and type-checked under strict tsc (all of them), and the file list checked: no
 * demo, no source maps, the licence and changelog in.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });

let scratch = '';
let files: string[] = [];
let tarball = '';

beforeAll(() => {
  if (!existsSync(join(root, 'dist/esm/index.d.ts')) || !existsSync(join(root, 'dist/server/index.js'))) {
    throw new Error('Build first: `npm run build` (npm test does it before the tests).');
  }
  scratch = mkdtempSync(join(tmpdir(), 'cec-pack-'));
  const [info] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], root));
  files = info.files.map((f: { path: string }) => f.path);
  tarball = join(scratch, info.filename);
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball, `msw@${pkg.devDependencies.msw}`, `@types/node@${pkg.devDependencies['@types/node']}`], scratch);
}, 240_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('ships the widget, its types, the server half and the mock; no demo, no source maps, no tests', () => {
    for (const must of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'custom-elements.json',
      'dist/cec-chat.js',
      'dist/cec-chat.esm.js',
      'dist/esm/index.js',
      'dist/esm/index.d.ts',
      'dist/esm/define-element.js',
      'dist/server/index.js',
      'dist/server/index.d.ts',
      'dist/mock/index.js',
      'dist/mock/index.d.ts',
    ]) {
      expect(files, must).toContain(must);
    }
    expect(files.filter((f) => f.startsWith('dist/demo') || f.endsWith('.map') || /(^|\/)(test|demo|mock-server|scripts)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/esm/server'))).toEqual([]);
  });

  it('builds its command executable, so npx cec-web-chat runs in a clone after any rebuild', () => {
    expect(statSync(join(root, 'dist/server/bin.js')).mode & 0o111).toBe(0o111);
  });

  it('carries its version in the built widget', () => {
    expect(readFileSync(join(scratch, 'node_modules/cec-web-chat/dist/cec-chat.esm.js'), 'utf8')).toContain(JSON.stringify(pkg.version));
  });

  it('installs without jose or msw for the widget: the server half bundles what it uses', () => {
    const installed = JSON.parse(readFileSync(join(scratch, 'node_modules/cec-web-chat/package.json'), 'utf8'));
    expect(Object.keys(installed.dependencies)).toEqual(['lit']);
    expect(existsSync(join(scratch, 'node_modules/jose'))).toBe(false);
  });

  it('runs the server and mock entries in Node: sign a signature, chat through the mock', { timeout: 60_000 }, () => {
    writeFileSync(
      join(scratch, 'run.mjs'),
      `import { signChannelToken } from 'cec-web-chat/server';
import { createMockContactCenter } from 'cec-web-chat/mock';
import { setupServer } from 'msw/node';
import pkg from 'cec-web-chat/package.json' with { type: 'json' };
const jws = await signChannelToken({ secretKey: 'k'.repeat(32), channelId: 'signed', userId: 'u1' });
const cc = createMockContactCenter();
const server = setupServer(...cc.handlers);
server.listen();
const res = await fetch('http://shop.test/apiaccess/ccmessaging/applyToken', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channelId: 'demo', userId: 'u1' }) });
const body = await res.json();
server.close();
console.log(JSON.stringify({ parts: jws.split('.').length, status: res.status, token: typeof body.token, version: pkg.version }));
`,
    );
    const out = JSON.parse(execFileSync(process.execPath, ['run.mjs'], { cwd: scratch, encoding: 'utf8' }).trim().split('\n').pop()!);
    expect(out).toEqual({ parts: 3, status: 200, token: 'string', version: pkg.version });
  });

  it('runs its command: cec-web-chat --help, mock --help, connector --help; a bad command is one sentence', { timeout: 60_000 }, () => {
    const bin = join(scratch, 'node_modules/.bin/cec-web-chat');
    const run = (...args: string[]) => {
      try {
        return { code: 0, out: execFileSync(bin, args, { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
      } catch (e) {
        const x = e as { status: number; stdout: string; stderr: string };
        return { code: x.status, out: x.stdout + x.stderr };
      }
    };
    expect(run('--help')).toMatchObject({ code: 0, out: expect.stringMatching(/connector[\s\S]*mock/) });
    expect(run('mock', '--help')).toMatchObject({ code: 0, out: expect.stringContaining('--port') });
    expect(run('connector', '--help')).toMatchObject({ code: 0, out: expect.stringContaining('--config') });
    const bad = run('bogus');
    expect(bad.code).toBe(2);
    expect(bad.out.trim().split('\n')).toHaveLength(1);
  });

  it('type-checks every entry under strict tsc', { timeout: 120_000 }, () => {
    writeFileSync(
      join(scratch, 'use.ts'),
      `import { defineCecChat, VERSION } from 'cec-web-chat';
import 'cec-web-chat/define';
import { signChannelToken } from 'cec-web-chat/server';
import { createMockContactCenter, type MockContactCenter } from 'cec-web-chat/mock';
const el = defineCecChat();
const v: string = VERSION;
const signed: Promise<string> = signChannelToken({ secretKey: 's', channelId: 'c', userId: 'u' });
const cc: MockContactCenter = createMockContactCenter({ clock: 'manual' });
cc.clock.advance(1000);
const chat = document.createElement('cec-chat');
chat.addEventListener('cec-message', (e) => e.detail);
export { el, v, signed, chat };
`,
    );
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', scratch], { cwd: scratch, encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  });
});
