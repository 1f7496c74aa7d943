// Starts Debian's redis-server on a free 127.0.0.1 port, in a fresh temporary directory, with no
// persistence (or, on request, an append-only file synced on every write, so a stop and start
// keeps the data), and stops it. Used by the Redis tests and the Redis benchmark; run directly
// (`node scripts/redis-server.mjs [--port N] [--persist]`) it serves in the foreground until ^C.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer } from './ensure-redis.mjs';

const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A free TCP port on 127.0.0.1 (asked of the OS by listening on port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns redis-server and resolves once it accepts connections; rejects with its output when it exits first or takes over `timeoutMs`. */
function spawnRedis(bin, port, dir, persist, timeoutMs) {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--save',
    '',
    '--logfile',
    '',
    '--loglevel',
    'notice',
    ...(persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (err) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (chunk) => {
      output += chunk;
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve(child);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (c) => (output += c));
    child.once('exit', (code, signal) => fail(Object.assign(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output}`), { output })));
    child.once('error', fail);
  });
}

/**
 * Starts a redis-server. Options: `port` (default: a free one), `persist` (append-only file,
 * fsync always; default false), `bin` (default: found by ensure-redis.mjs), `startTimeoutMs`
 * (default 10000). Resolves to a handle:
 * - `url` (`redis://127.0.0.1:PORT`), `port`, `dir`, `pid` (of the running process, or null);
 * - `stop()` stops the process (SIGTERM, SIGKILL after 5 s), keeping its directory;
 * - `kill()` kills it at once (SIGKILL), as a crash would;
 * - `start()` starts it again on the same port and directory (what it persisted comes back);
 * - `close()` stops it and removes the directory.
 * Throws when no redis-server is installed (run scripts/ensure-redis.mjs first).
 */
export async function startRedisServer(options = {}) {
  const bin = options.bin ?? findRedisServer();
  if (!bin) throw new Error('No redis-server found: run node scripts/ensure-redis.mjs');
  const persist = options.persist ?? false;
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'cec-redis-'));
  let port = options.port ?? 0;
  let child = null;
  for (let attempt = 0; !child; attempt++) {
    const tryPort = port || (await freePort());
    try {
      child = await spawnRedis(bin, tryPort, dir, persist, startTimeoutMs);
      port = tryPort;
    } catch (err) {
      // Another process may take the free port between asking and binding: ask again.
      if (options.port || attempt >= 4 || !/Address already in use/i.test(err.output ?? '')) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
  const exited = (c) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));
  const handle = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child?.pid ?? null;
    },
    async stop() {
      const c = child;
      child = null;
      if (!c) return;
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited(c);
      clearTimeout(t);
    },
    async kill() {
      const c = child;
      child = null;
      if (!c) return;
      c.kill('SIGKILL');
      await exited(c);
    },
    async start() {
      if (child) return;
      child = await spawnRedis(bin, port, dir, persist, startTimeoutMs);
    },
    async close() {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const portArg = argv.indexOf('--port');
  const server = await startRedisServer({ port: portArg >= 0 ? Number(argv[portArg + 1]) : undefined, persist: argv.includes('--persist') });
  console.log(`redis-server ${server.url} (data in ${server.dir}); ^C stops it`);
  const quit = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
}
