/**
 * `npm run bench:redis`: what Redis costs and buys the connector, in one run, on loopback.
 *
 * 1. Redis commands per message: 2 connector instances on Redis, `--sample` customers (default
 *    100) each through one chat (token, CONNECT, a question to the chatbot, its answer by long
 *    poll, DISCONNECT), every Redis command recorded with MONITOR: round trips (commands a
 *    connector sent) and commands run inside the store's Lua scripts, per message stored in a
 *    log; Redis memory per connected customer (INFO memory).
 * 2. Customers served at p99 under 100 ms: N customers, N doubling from `--start` (default 25)
 *    up to `--max` (default 1600), on one instance with the memory store, one instance on Redis,
 *    and two instances on Redis behind a round robin (every request to the next instance). The
 *    customers ARRIVE at `--rate` per second (default 50) after `--warmup` unmeasured ones, each
 *    stays connected (a long poll open, a message every `--think` seconds) until all N are
 *    connected at once, then they leave at the same rate (scripts/bench/customers.ts, in its own
 *    process). The p99 is over the calls that answer at once (applyToken and sends; a long poll
 *    waits by design). A step passes with p99 < 100 ms and no error; the search stops at the
 *    first step that fails and prints the largest passing N per setup.
 *
 * Every connector and the mock (its real-CEC face) run in processes of their own, as in a
 * deployment; redis-server is Debian's, started on a free port for the run.
 *
 * 3. Idle load: `--idle` customers (default 50) connected to 2 instances and then silent for
 *    `--idle-seconds` (default 30, below the 90 s silence limit): the Redis commands the upstream
 *    poll loops and lease heartbeats cost, from INFO commandstats, per idle customer per minute.
 *
 *   npm run bench:redis [-- --max 1600 --start 25 --rate 50 --warmup 20 --think 60 --sample 100 --idle 50 --idle-seconds 30 --skip-load]
 */
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
import { QUICK_ROUTES, cpuSeconds, runCustomers, startProcess, stopProcess } from './procs.js';

const { values } = parseArgs({
  options: {
    max: { type: 'string', default: '1600' },
    start: { type: 'string', default: '25' },
    sample: { type: 'string', default: '100' },
    idle: { type: 'string', default: '50' },
    'idle-seconds': { type: 'string', default: '30' },
    rate: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '20' },
    think: { type: 'string', default: '60' },
    'skip-load': { type: 'boolean', default: false },
  },
});
const IDLE = Number(values.idle);
const IDLE_SECONDS = Number(values['idle-seconds']);
const MAX = Number(values.max);
const START = Number(values.start);
const SAMPLE = Number(values.sample);
const RATE = Number(values.rate);
const WARMUP = Number(values.warmup);
const THINK = Number(values.think);
const TARGET_P99_MS = 100;
const stop = stopProcess;

/** `n` connector processes with the given store section, all on the same config otherwise. */
async function startConnectors(n: number, mockUrl: string, store: unknown, dir: string): Promise<{ urls: string[]; pids: Array<number | undefined>; stop(): Promise<void> }> {
  const config = { ...seedConnectorConfig({ baseUrl: `${mockUrl}/cec`, pollTimeoutMs: 15_000, pollIdleMs: 200, timeoutMs: 10_000 }), store };
  const file = join(dir, `connector-${n}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(config));
  const started = await Promise.all(
    Array.from({ length: n }, () =>
      startProcess(['widget/server/connector/cli.ts', '--config', file, '--port', '0', '--quiet'], /listening on (http:\/\/[\d.]+:\d+)/, {
        env: { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET },
      }),
    ),
  );
  return { urls: started.map((s) => s.url), pids: started.map((s) => s.child.pid), stop: async () => void (await Promise.all(started.map((s) => stop(s.child)))) };
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

async function main(): Promise<void> {
  ensureRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'cec-bench-'));
  const redis = await startRedisServer();
  const mock = await startProcess(['mock-server/http/cli.ts', '--port', '0', '--host', '127.0.0.1'], /on (http:\/\/[\d.]+:\d+)/);
  const admin = new Redis(redis.url);
  try {
    // ---- 1. commands per message -------------------------------------------------------------
    process.stderr.write(`1. ${SAMPLE} chats through 2 instances on Redis, every command recorded…\n`);
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
    // MONITOR starts before the connectors: a monitored line arriving with MONITOR's own reply
    // confuses the client. What the connectors send while starting is not counted.
    const two = await startConnectors(2, mock.url, { type: 'redis', url: redis.url, keyPrefix: 'bench1:' }, dir);
    counts.roundTrips = counts.inScripts = counts.xadd = 0;
    counts.byCommand.clear();
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
    console.log(
      `\nRedis memory while the ${SAMPLE} customers were connected: ${((memConnected - mem0) / 1024).toFixed(0)} KB, ${(perCustomerBytes / 1024).toFixed(1)} KB per customer (${sample.downlinks} log messages read)`,
    );

    // ---- 3. idle load (before part 2, which takes long) ---------------------------------------
    {
      process.stderr.write(`3. ${IDLE} idle customers on 2 instances for ${IDLE_SECONDS} s…\n`);
      const idle = await startConnectors(2, mock.url, { type: 'redis', url: redis.url, keyPrefix: 'bench3:' }, dir);
      const fetchFn = roundRobin(idle.urls);
      const clients = Array.from({ length: IDLE }, (_, i) => new ChannelClient({ baseUrl: 'http://lb.test', channelId: 'demo', userId: `idle-${i}`, userName: `Idle ${i}`, fetch: fetchFn }));
      await Promise.all(
        clients.map(async (c) => {
          await c.getToken();
          await c.send({ controlType: 'CONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() });
        }),
      );
      await new Promise((r) => setTimeout(r, 3000)); // the greetings are taken and stored
      await admin.config('RESETSTAT');
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
      const stats = await admin.info('commandstats');
      const minutes = (performance.now() - t0) / 60_000;
      const byCmd = [...stats.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)].map(([, cmd, n]) => [cmd!, Number(n)] as const).filter(([cmd]) => cmd !== 'info' && cmd !== 'config');
      const total = byCmd.reduce((a, [, n]) => a + n, 0);
      console.log(`\n3. Idle load: ${IDLE} connected, silent customers on 2 instances for ${IDLE_SECONDS} s (INFO commandstats; Lua-inner commands counted too)\n`);
      console.log(
        table(
          ['command', 'calls', 'per idle customer per minute'],
          byCmd.sort((a, b) => b[1] - a[1]).map(([c, n]) => [c, n, (n / IDLE / minutes).toFixed(1)]),
        ),
      );
      console.log(
        `\nidle: ${(total / IDLE / minutes).toFixed(1)} Redis commands per idle customer per minute (load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')})`,
      );
      await Promise.all(clients.map((c) => c.send({ controlType: 'DISCONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() }).catch(() => {})));
      await idle.stop();
    }
    if (values['skip-load']) return;

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
      const pids = cs.pids;
      let best = 0;
      for (let customers = START; customers <= MAX; customers *= 2) {
        process.stderr.write(`2. ${name}: ${customers} customers arriving ${RATE}/s…\n`);
        const cpu0 = pids.map(cpuSeconds);
        const run = await runCustomers(cs.urls, { customers, rate: RATE, warmup: WARMUP, think: THINK, tag: `${name.replace(/\W+/g, '')}-${customers}` });
        const cpu = pids.map((p, i) => cpuSeconds(p) - cpu0[i]!).reduce((a, b) => a + b, 0);
        const quick = run.routes.filter((r) => QUICK_ROUTES.includes(r.route));
        const p99 = Math.max(...quick.map((r) => r.p99));
        const ok = p99 < TARGET_P99_MS && run.errors === 0;
        rows.push([name, customers, run.peakOpen, ms(p99), run.errors, run.seconds.toFixed(1), cpu.toFixed(1), loadavg()[0]!.toFixed(1), ok ? 'yes' : 'no']);
        if (!ok) {
          console.log(`\n${name}, ${customers} customers, the step that did not pass:\n`);
          console.log(
            table(
              ['call', 'count', 'p50 ms', 'p99 ms', 'max ms', 'errors'],
              run.routes.map((r) => [r.route, r.count, ms(r.p50), ms(r.p99), ms(r.max), r.errors]),
            ),
          );
          break;
        }
        best = customers;
      }
      served.push([name, best]);
      await cs.stop();
    }
    console.log(
      `\n2. Concurrent customers: they arrive ${RATE}/s (after ${WARMUP} warm-up customers, not measured), each stays connected (a long poll open, ` +
        `a message every ~${THINK} s) until all are connected at once, then they leave ${RATE}/s. A step passes when the p99 of applyToken and ` +
        `sends is below ${TARGET_P99_MS} ms with no error; N doubles from ${START} up to ${MAX}. Load generator, connectors, CEC face and Redis ` +
        `in processes of their own, on ${cpus().length} cores\n`,
    );
    console.log(table(['setup', 'customers', 'at once', 'p99 ms', 'errors', 'seconds', 'connector CPU s', 'load avg', 'passes'], rows));
    console.log(
      `\nsummary: the most customers served at p99 < ${TARGET_P99_MS} ms (arriving ${RATE}/s) — ${served.map(([n, b]) => `${n}: ${b ? (b * 2 > MAX ? `≥ ${b}` : b) : `< ${START}`}`).join('; ')}; ` +
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
