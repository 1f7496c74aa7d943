/**
 * The command lines of the mock (`npm run mock`, mock-server/http/cli.ts) and of the soak
 * (scripts/soak.ts), spawned as the user runs them: `--help` lists every option and exits 0; a
 * bad option is one sentence on stderr and exit 2, never a stack trace; the mock started on
 * port 0 prints a banner naming its URL and the real-CEC face at /cec, answers a request, and
 * exits 0 on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MOCK_CLI_OPTIONS } from '../../mock-server/http/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MOCK = 'mock-server/http/cli.ts';
const SOAK = 'scripts/soak.ts';

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  done: Promise<number | null>;
}

function start(script: string, args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, done };
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

async function run(script: string, args: string[]) {
  const r = start(script, args);
  running.push(r.child);
  const code = await r.done;
  return { code, out: r.out(), err: r.err() };
}

/** One sentence, one line, no stack frames. */
function expectOneSentence(text: string) {
  const lines = text.trim().split('\n');
  expect(lines, text).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/Error:|TypeError/);
  expect(lines[0]).toMatch(/[.!]$/);
}

describe('the mock CLI', () => {
  it('--help lists every option and exits 0', async () => {
    const r = await run(MOCK, ['--help']);
    expect(r.code).toBe(0);
    for (const name of [...Object.keys(MOCK_CLI_OPTIONS), 'help']) expect(r.out).toContain(`--${name}`);
    expect(r.out).toContain('/cec');
  }, 30_000);

  it.each([['--bogus'], ['--port', '99999'], ['--port'], ['stray']])(
    '%s: one sentence on stderr, exit 2',
    async (...args) => {
      const r = await run(MOCK, args);
      expect(r.code).toBe(2);
      expectOneSentence(r.err);
    },
    30_000,
  );

  it('on port 0: a banner with its URL and /cec, answers a request, exits 0 on SIGTERM', async () => {
    const r = start(MOCK, ['--port', '0']);
    running.push(r.child);
    const banner = await vi.waitFor(
      () => {
        const m = /Mock contact center on (http:\/\/127\.0\.0\.1:\d+)/.exec(r.out());
        if (!m) throw new Error(`no banner yet: ${r.out()}${r.err()}`);
        return { url: m[1]!, line: r.out() };
      },
      { timeout: 25_000, interval: 50 },
    );
    expect(banner.line).toContain('real-CEC face at /cec');
    const res = await fetch(`${banner.url}/mock/clock`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ resultCode: '0', mode: 'real' });
    r.child.kill('SIGTERM');
    expect(await r.done).toBe(0);
  }, 40_000);
});

describe('the soak CLI', () => {
  it('--help lists every option, the fault rates among them, and exits 0', async () => {
    const r = await run(SOAK, ['--help']);
    expect(r.code).toBe(0);
    for (const name of ['messages', 'seed', 'reload-at', 'window', 'timeout', 'timer-scale', 'drop-rate', 'error-rate', 'latency-ms', 'jitter-ms', 'help']) {
      expect(r.out).toContain(`--${name}`);
    }
  }, 30_000);

  it.each([['--bogus'], ['--drop-rate', '2'], ['--error-rate', 'x'], ['--latency-ms', '-1']])(
    '%s: one sentence on stderr, exit 2',
    async (...args) => {
      const r = await run(SOAK, args);
      expect(r.code).toBe(2);
      expectOneSentence(r.err);
    },
    30_000,
  );
});
