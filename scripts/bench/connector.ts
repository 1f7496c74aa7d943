/**
 * `npm run bench:connector`: what the connector costs, in one run, on loopback.
 *
 * 1. Added latency per call: the widget's own ChannelClient calls the mock contact center
 *    directly (its channel API) and then the same calls through the connector (which speaks the
 *    real wire to the mock's real-CEC face). Both sides are real HTTP on 127.0.0.1; the mock runs
 *    in a child process, the connector in this one. Prints p50/p99 of each and the difference.
 * 2. Concurrent customers: N customers (default 1,000) at once on one connector process — token,
 *    CONNECT, a question to the chatbot, the answer by long poll, DISCONNECT — p50/p99 per call and
 *    the error count.
 * 3. Memory per customer: the connector process's heap (after GC) before, with the N customers
 *    connected, and after they left and their retention passed (the connector's clock is moved).
 *
 *   npm run bench:connector [-- --customers 1000 --iterations 300]
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../mock-server/config/seed.js';
import { ChannelClient } from '../../widget/client/channel-client.js';
import { createConnector } from '../../widget/server/connector/connector.js';
import { MemoryStore } from '../../widget/server/connector/memory-store.js';
import { serveFetch } from '../../widget/server/connector/serve.js';
import { seedConnectorConfig } from '../../test/server/connector/helpers.js';
import { LatencyRecorder, ms, table } from '../lib/stats.js';

const { values } = parseArgs({ options: { customers: { type: 'string', default: '1000' }, iterations: { type: 'string', default: '300' } } });
const CUSTOMERS = Number(values.customers);
const ITERATIONS = Number(values.iterations);
const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};

async function startMock(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock-server/http/cli.ts', '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the mock exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

let skew = 0;
const now = () => Date.now() + skew;

let stopMock = () => {};

async function main(): Promise<void> {
  const mock = await startMock();
  stopMock = mock.stop;
  const store = new MemoryStore({ now });
  const config = seedConnectorConfig({ baseUrl: `${mock.url}/cec`, pollTimeoutMs: 15_000, pollIdleMs: 200, timeoutMs: 10_000 });
  // The connector's upstream fetch, timed: a send's own cost is its time minus its CEC call's.
  let upstreamSendMs = 0;
  const timedFetch: typeof fetch = async (input, init) => {
    const t = performance.now();
    try {
      return await fetch(input, init);
    } finally {
      if (String(input instanceof Request ? input.url : input).includes('/send')) upstreamSendMs += performance.now() - t;
    }
  };
  const connector = createConnector(config, { env: { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET }, log: () => {}, store, now, sweepMs: 0, fetch: timedFetch });
  const served = await serveFetch(connector, { port: 0 });
  const heap0 = heap();

  // ---- 1. added latency per call -------------------------------------------------------------
  const rec = new LatencyRecorder();
  const timed = async <T>(route: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } catch (e) {
      rec.record(route, performance.now() - t, true);
      throw e;
    } finally {
      rec.record(route, performance.now() - t);
    }
  };
  for (const [side, baseUrl] of [['direct', mock.url], ['connector', served.url]] as const) {
    process.stderr.write(`measuring ${side}…\n`);
    const client = new ChannelClient({ baseUrl, channelId: 'demo', userId: `bench-${side}`, userName: 'Bench' });
    await client.send({ controlType: 'CONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() });
    // Token requests by a second customer (a token without the resume key starts a new chat).
    const tokens = new ChannelClient({ baseUrl, channelId: 'demo', userId: `bench-token-${side}`, userName: 'Bench' });
    let cursor = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      tokens.invalidate();
      await timed(`${side} applyToken`, () => tokens.getToken());
      await timed(`${side} queryChannelConfig`, () => client.channelConfig());
      upstreamSendMs = 0;
      const t0 = performance.now();
      await timed(`${side} send`, () => client.send({ controlType: 'CHAT', mediaType: 'TEXT', content: `what are your hours? ${i}`, clientMessageId: crypto.randomUUID() }));
      if (side === 'connector') {
        rec.record('send: the CEC face', upstreamSendMs);
        rec.record("send: the connector's own", performance.now() - t0 - upstreamSendMs);
      }
      const p = await timed(`${side} poll`, () => client.poll(cursor, 0));
      cursor = p.cursor;
      await timed(`${side} queryQueueInfo`, () => client.queueInfo());
      if (i % 10 === 0) await timed(`${side} queryHistoryChatMessage`, () => client.history());
    }
  }
  const byRoute = new Map(rec.routes().map((r) => [r.route, r]));
  const calls = ['applyToken', 'queryChannelConfig', 'send', 'poll', 'queryQueueInfo', 'queryHistoryChatMessage'];
  console.log(`\n1. Added latency per call (loopback, ${ITERATIONS} calls each, one customer at a time)\n`);
  console.log(
    table(
      ['call', 'direct p50', 'direct p99', 'connector p50', 'connector p99', 'added p50', 'added p99'],
      calls.map((c) => {
        const d = byRoute.get(`direct ${c}`)!;
        const k = byRoute.get(`connector ${c}`)!;
        return [c, ms(d.p50), ms(d.p99), ms(k.p50), ms(k.p99), ms(k.p50 - d.p50), ms(k.p99 - d.p99)];
      }),
    ),
  );
  const face = byRoute.get('send: the CEC face')!;
  const own = byRoute.get("send: the connector's own")!;
  console.log(`\nsend through the connector, split: its upstream /send to the CEC face p50 ${ms(face.p50)} p99 ${ms(face.p99)} ms; the connector's own work (browser hop, store, idempotency) p50 ${ms(own.p50)} p99 ${ms(own.p99)} ms`);
  console.log(`load average at the end of part 1: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  // ---- 2. N concurrent customers --------------------------------------------------------------
  const load = new LatencyRecorder();
  const clients: ChannelClient[] = Array.from({ length: CUSTOMERS }, (_, i) => new ChannelClient({ baseUrl: served.url, channelId: 'demo', userId: `load-${i}`, userName: `Load ${i}` }));
  const step = async <T>(route: string, fn: () => Promise<T>): Promise<T | null> => {
    const t = performance.now();
    try {
      const r = await fn();
      load.record(route, performance.now() - t);
      return r;
    } catch {
      load.record(route, performance.now() - t, true);
      return null;
    }
  };
  process.stderr.write(`${CUSTOMERS} customers…\n`);
  const started = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      await step('applyToken', () => c.getToken());
      await step('send CONNECT', () => c.send({ controlType: 'CONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() }));
    }),
  );
  const heapActive = heap();
  await Promise.all(
    clients.map(async (c) => {
      await step('send CHAT', () => c.send({ controlType: 'CHAT', mediaType: 'TEXT', content: 'what are your opening hours?', clientMessageId: crypto.randomUUID() }));
      let cursor = 0;
      const t = performance.now();
      for (let n = 0; n < 10; n++) {
        const p = await step('poll (wait ≤ 25 s)', () => c.poll(cursor, 25));
        if (!p) continue;
        cursor = p.cursor;
        if (p.downlinkMessages.some((m) => m.event === 'bot.reply')) break;
      }
      load.record('question → answer seen', performance.now() - t);
      await step('send DISCONNECT', () => c.send({ controlType: 'DISCONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() }));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n2. ${CUSTOMERS} concurrent customers on one connector process (${seconds.toFixed(1)} s)\n`);
  console.log(table(['call', 'count', 'p50 ms', 'p99 ms', 'max ms', 'errors'], load.routes().map((r) => [r.route, r.count, ms(r.p50), ms(r.p99), ms(r.max), r.errors])));
  const nonPoll = load.routes().filter((r) => !r.route.startsWith('poll') && !r.route.startsWith('question'));
  const worstP99 = Math.max(...nonPoll.map((r) => r.p99));

  // ---- 3. memory --------------------------------------------------------------------------------
  clients.length = 0; // the benchmark's own browser-side clients are not the connector's memory
  await new Promise((r) => setTimeout(r, 500)); // the upstream loops notice the end
  skew += 25 * 3600_000; // past every retention and token lifetime
  await connector.sweep();
  store.sweep();
  const heapAfter = heap();
  console.log(`\n3. Memory (heap after GC${gc ? '' : ' — run with --expose-gc for exact figures'})\n`);
  console.log(
    table(
      ['', 'heap KB', 'per customer KB'],
      [
        ['before', Math.round(heap0 / 1024), ''],
        [`${CUSTOMERS} connected`, Math.round(heapActive / 1024), ((heapActive - heap0) / 1024 / CUSTOMERS).toFixed(1)],
        ['after they left (retention passed)', Math.round(heapAfter / 1024), ((heapAfter - heap0) / 1024 / CUSTOMERS).toFixed(1)],
      ],
    ),
  );
  console.log(`store after: ${JSON.stringify(store.sizes())}`);
  console.log(
    `\nsummary: added p50 send ${ms(byRoute.get('connector send')!.p50 - byRoute.get('direct send')!.p50)} ms, p99 ${ms(byRoute.get('connector send')!.p99 - byRoute.get('direct send')!.p99)} ms; ` +
      `${CUSTOMERS} customers: worst p99 of non-poll calls ${ms(worstP99)} ms, ${load.errors} errors; ` +
      `${((heapActive - heap0) / 1024 / CUSTOMERS).toFixed(1)} KB per connected customer, ${((heapAfter - heap0) / 1024 / CUSTOMERS).toFixed(1)} KB after they left`,
  );
  await connector.close();
  await served.close();
  mock.stop();
  process.exit(load.errors ? 1 : 0);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  stopMock();
  process.exit(1);
});
