/**
 * `npm run bench:redis`: what Redis costs and buys the connector, in one run, on loopback.
 *
 * 1. Redis commands per message: 2 connector instances on Redis, `--sample` customers (default
 *    100) each through one chat (token, CONNECT, a question to the chatbot, its answer by long
 *    poll, DISCONNECT), every Redis command recorded with MONITOR: round trips (commands a
 *    connector sent) and commands run inside the store's Lua scripts, per message stored in a
 *    log; Redis memory per connected customer (INFO memory).
 * 2. Customers served at p99 under 100 ms: the same chat for N customers at once, N doubling from
 *    `--start` (default 25) up to `--max` (default 1600), on one instance with the memory store,
 *    one instance on Redis, and two instances on Redis behind a round robin (every request to
 *    the next instance). The p99 is over the calls that answer at once (applyToken and sends; a
 *    long poll waits by design). A step passes with p99 < 100 ms and no error.
 *
 * Every connector and the mock (its real-CEC face) run in processes of their own, as in a
 * deployment; redis-server is Debian's, started on a free port for the run.
 *
 *   npm run bench:redis [-- --max 1600 --start 25 --sample 100]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../mock-server/config/seed.js';
import { ChannelClient } from '../../widget/client/channel-client.js';
import { seedConnectorConfig } from '../../test/server/connector/helpers.js';
import { LatencyRecorder, ms, table } from '../lib/stats.js';
import { ensureRedisServer } from '../ensure-redis.mjs';
import { startRedisServer } from '../redis-server.mjs';

const { values } = parseArgs({ options: { max: { type: 'string', default: '1600' }, start: { type: 'string', default: '25' }, sample: { type: 'string', default: '100' } } });
const MAX = Number(values.max);
const START = Number(values.start);
const SAMPLE = Number(values.sample);
const TARGET_P99_MS = 100;
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Spawns a TypeScript entry point and resolves with the first URL matching `pattern` on its stdout. */
function startProcess(args: string[], pattern: RegExp, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = pattern.exec(out);
      if (m) {
        child.stdout!.resume();
        resolve({ url: m[1]!, child });
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
};

/** `n` connector processes with the given store section, all on the same config otherwise. */
async function startConnectors(n: number, mockUrl: string, store: unknown, dir: string): Promise<{ urls: string[]; stop(): Promise<void> }> {
  const config = { ...seedConnectorConfig({ baseUrl: `${mockUrl}/cec`, pollTimeoutMs: 15_000, pollIdleMs: 200, timeoutMs: 10_000 }), store };
  const file = join(dir, `connector-${n}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(config));
  const started = await Promise.all(
    Array.from({ length: n }, () =>
      startProcess(['widget/server/connector/cli.ts', '--config', file, '--port', '0', '--quiet'], /listening on (http:\/\/[\d.]+:\d+)/, { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET }),
    ),
  );
  return { urls: started.map((s) => s.url), stop: async () => void (await Promise.all(started.map((s) => stop(s.child)))) };
}

/** A fetch that sends each request to the next instance (the load balancer's round robin). */
function roundRobin(urls: string[]): typeof fetch {
  let next = 0;
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const u = new URL(String(input));
    return fetch(urls[next++ % urls.length] + u.pathname + u.search, init);
  }) as typeof fetch;
}

/** One chat per customer, all at once; returns latencies and how many log messages they saw. */
async function chats(urls: string[], n: number, tag: string, between?: () => Promise<void>): Promise<{ rec: LatencyRecorder; downlinks: number; seconds: number }> {
  const rec = new LatencyRecorder();
  const fetchFn = roundRobin(urls);
  const clients = Array.from({ length: n }, (_, i) => new ChannelClient({ baseUrl: 'http://lb.test', channelId: 'demo', userId: `${tag}-${i}`, userName: `Load ${i}`, fetch: fetchFn }));
  const step = async <T>(route: string, fn: () => Promise<T>): Promise<T | null> => {
    const t = performance.now();
    try {
      const r = await fn();
      rec.record(route, performance.now() - t);
      return r;
    } catch {
      rec.record(route, performance.now() - t, true);
      return null;
    }
  };
  let downlinks = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      await step('applyToken', () => c.getToken());
      await step('send CONNECT', () => c.send({ controlType: 'CONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() }));
    }),
  );
  const cursors = await Promise.all(
    clients.map(async (c) => {
      await step('send CHAT', () => c.send({ controlType: 'CHAT', mediaType: 'TEXT', content: 'what are your opening hours?', clientMessageId: crypto.randomUUID() }));
      let cursor = 0;
      for (let k = 0; k < 10; k++) {
        const p = await step('poll (long, wait ≤ 25 s)', () => c.poll(cursor, 25));
        if (!p) continue;
        cursor = p.cursor;
        if (p.downlinkMessages.some((m) => m.event === 'bot.reply')) break;
      }
      return cursor;
    }),
  );
  await between?.();
  await Promise.all(clients.map((c) => step('send DISCONNECT', () => c.send({ controlType: 'DISCONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() }))));
  for (const c of cursors) downlinks += c;
  return { rec, downlinks, seconds: (performance.now() - started) / 1000 };
}

/** p99 over the calls that answer at once (not the long polls), and the error count. */
function verdict(rec: LatencyRecorder): { p99: number; errors: number } {
  const quick = rec.routes().filter((r) => !r.route.startsWith('poll'));
  return { p99: Math.max(...quick.map((r) => r.p99)), errors: rec.errors };
}

async function main(): Promise<void> {
  ensureRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'cec-bench-'));
  const redis = await startRedisServer();
  const mock = await startProcess(['mock-server/http/cli.ts', '--port', '0', '--host', '127.0.0.1'], /on (http:\/\/[\d.]+:\d+)/);
  const admin = new Redis(redis.url);
  try {
    // ---- 1. commands per message -------------------------------------------------------------
    process.stderr.write(`1. ${SAMPLE} chats through 2 instances on Redis, every command recorded…\n`);
    const two = await startConnectors(2, mock.url, { type: 'redis', url: redis.url, keyPrefix: 'bench1:' }, dir);
    const monitor = new Redis(redis.url);
    const counts = { roundTrips: 0, inScripts: 0, xadd: 0, byCommand: new Map<string, number>() };
    const mon = await monitor.monitor();
    mon.on('monitor', (_time: string, args: string[], source: string) => {
      const cmd = String(args[0]).toLowerCase();
      if (cmd === 'info' || cmd === 'monitor') return;
      if (source.startsWith('lua')) counts.inScripts++;
      else counts.roundTrips++;
      if (cmd === 'xadd') counts.xadd++;
      const key = `${cmd}${source.startsWith('lua') ? ' (in a script)' : ''}`;
      counts.byCommand.set(key, (counts.byCommand.get(key) ?? 0) + 1);
    });
    const mem0 = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
    let memConnected = 0;
    const sample = await chats(two.urls, SAMPLE, 'sample', async () => {
      memConnected = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
    });
    // The poll loops notice the end and write their last messages.
    await new Promise((r) => setTimeout(r, 1500));
    mon.disconnect();
    monitor.disconnect();
    await two.stop();
    const messages = counts.xadd;
    console.log(`\n1. Redis commands per message (2 instances, ${SAMPLE} customers, one chat each: ${messages} messages stored in logs)\n`);
    console.log(
      table(
        ['', 'total', 'per message', 'per customer'],
        [
          ['round trips (commands sent by the connectors)', counts.roundTrips, (counts.roundTrips / messages).toFixed(1), (counts.roundTrips / SAMPLE).toFixed(1)],
          ['commands run inside the Lua scripts', counts.inScripts, (counts.inScripts / messages).toFixed(1), (counts.inScripts / SAMPLE).toFixed(1)],
        ],
      ),
    );
    console.log(
      '\n' +
        table(
          ['command', 'count', 'per message'],
          [...counts.byCommand.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v, (v / messages).toFixed(2)]),
        ),
    );
    const perCustomerBytes = (memConnected - mem0) / SAMPLE;
    console.log(`\nRedis memory while the ${SAMPLE} customers were connected: ${((memConnected - mem0) / 1024).toFixed(0)} KB, ${(perCustomerBytes / 1024).toFixed(1)} KB per customer (${sample.downlinks} log messages read)`);

    // ---- 2. customers served at p99 < 100 ms -------------------------------------------------
    const setups: Array<[string, number, unknown]> = [
      ['1 instance, memory store', 1, { type: 'memory' }],
      ['1 instance, Redis', 1, { type: 'redis', url: redis.url, keyPrefix: 'bench2a:' }],
      ['2 instances, Redis', 2, { type: 'redis', url: redis.url, keyPrefix: 'bench2b:' }],
    ];
    const rows: Array<Array<string | number>> = [];
    const served: Array<[string, number]> = [];
    for (const [name, n, store] of setups) {
      const cs = await startConnectors(n, mock.url, store, dir);
      let best = 0;
      for (let customers = START; customers <= MAX; customers *= 2) {
        process.stderr.write(`2. ${name}: ${customers} customers…\n`);
        const run = await chats(cs.urls, customers, `${name.replace(/\W+/g, '')}-${customers}`);
        const v = verdict(run.rec);
        const ok = v.p99 < TARGET_P99_MS && v.errors === 0;
        rows.push([name, customers, ms(v.p99), v.errors, run.seconds.toFixed(1), ok ? 'yes' : 'no']);
        if (!ok) {
          console.log(`\n${name}, ${customers} customers, the step that did not pass:\n`);
          console.log(table(['call', 'count', 'p50 ms', 'p99 ms', 'max ms', 'errors'], run.rec.routes().map((r) => [r.route, r.count, ms(r.p50), ms(r.p99), ms(r.max), r.errors])));
          break;
        }
        best = customers;
      }
      served.push([name, best]);
      await cs.stop();
    }
    console.log(`\n2. Concurrent customers (p99 of applyToken and sends; a step passes below ${TARGET_P99_MS} ms with no error; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)\n`);
    console.log(table(['setup', 'customers', 'p99 ms', 'errors', 'seconds', 'passes'], rows));
    console.log(
      `\nsummary: customers served at p99 < ${TARGET_P99_MS} ms — ${served.map(([n, b]) => `${n}: ${b ? (b >= MAX ? `≥ ${b}` : b) : `< ${START}`}`).join('; ')}; ` +
        `Redis: ${(counts.roundTrips / messages).toFixed(1)} round trips and ${((counts.roundTrips + counts.inScripts) / messages).toFixed(1)} commands (scripts included) per message, ${(perCustomerBytes / 1024).toFixed(1)} KB per connected customer`,
    );
  } finally {
    admin.disconnect();
    await stop(mock.child);
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
