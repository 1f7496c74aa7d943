/**
 * `npm run bench:connector`: what the connector costs, in one run, on loopback. The mock (its
 * real-CEC face), the connector and the load generator run in processes of their own, as the
 * CEC, the integrator's server and the browsers would on separate machines.
 *
 * 1. Added latency per call: the widget's own ChannelClient calls the mock contact center
 *    directly (its channel API) and then the same calls through the connector (which speaks the
 *    real wire to the mock's real-CEC face), one customer at a time. Prints p50/p99 of each and
 *    the difference. These calls also warm the connector up (JIT, the first AccessToken).
 * 2. Concurrent customers: N customers (default 1,000) ARRIVE at `--rate` per second (default
 *    50), each: token, CONNECT, a question to the chatbot and its answer by long poll, then it
 *    stays connected (a long poll always open, a message every `--think` seconds) until all N are
 *    connected at once; then they leave (DISCONNECT) at the same rate. `--warmup` customers go
 *    first, not measured. p50/p99 per call and the error count; the target is p99 < 100 ms of the
 *    calls that answer at once (applyToken and sends) with 0 errors. Not a burst of N requests.
 * 3. Memory per customer: the connector process's heap (after GC) before part 2, at the peak
 *    with the N customers connected, and after they left: their browsers gone (the load
 *    generator exited), retention passed (the connector's clock is moved), and the idle upstream
 *    connections closed by their keep-alive timeout (open sockets printed beside); then once more
 *    after a second wave of N customers left: flat means the second wave added nothing.
 *
 *   npm run bench:connector [-- --customers 1000 --rate 50 --warmup 20 --think 60 --iterations 300 --memory on|off]
 */
import type { ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ChannelClient } from '../../widget/client/channel-client.js';
import { LatencyRecorder, ms, table } from '../lib/stats.js';
import { QUICK_ROUTES, cpuSeconds, runCustomers, startProcess, stopProcess } from './procs.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '20' },
    think: { type: 'string', default: '60' },
    iterations: { type: 'string', default: '300' },
    /** `off` skips part 3 (the memory waves), for quicker before/after comparisons of parts 1 and 2. */
    memory: { type: 'string', default: 'on' },
  },
});
const CUSTOMERS = Number(values.customers);
const RATE = Number(values.rate);
const ITERATIONS = Number(values.iterations);
const TARGET_P99_MS = 100;
const load1 = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Asks the connector process (scripts/bench/connector-process.ts) over IPC. */
function ask<T>(child: ChildProcess, message: Record<string, unknown>): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}
type Heap = { heapUsed: number; sockets: number; exact: boolean };

async function main(): Promise<void> {
  const mock = await startProcess(['mock-server/http/cli.ts', '--port', '0', '--host', '127.0.0.1'], /on (http:\/\/[\d.]+:\d+)/);
  const conn = await startProcess(['scripts/bench/connector-process.ts', mock.url], /listening on (http:\/\/[\d.]+:\d+)/, {
    ipc: true,
    execArgv: ['--expose-gc', ...(process.env.BENCH_CONNECTOR_NODE_OPTIONS ?? '').split(' ').filter(Boolean)],
  });
  try {
    await run(mock.url, conn.url, conn.child, mock.child);
  } finally {
    await stopProcess(conn.child);
    await stopProcess(mock.child);
  }
}

async function run(mockUrl: string, connectorUrl: string, connector: ChildProcess, mock: ChildProcess): Promise<void> {
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
  const sendTimes: number[] = [];
  for (const [side, baseUrl] of [
    ['direct', mockUrl],
    ['connector', connectorUrl],
  ] as const) {
    process.stderr.write(`measuring ${side}…\n`);
    const client = new ChannelClient({ baseUrl, channelId: 'demo', userId: `bench-${side}`, userName: 'Bench' });
    await client.send({ controlType: 'CONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() });
    // Token requests by a second customer (a token without the resume key starts a new chat).
    const tokens = new ChannelClient({ baseUrl, channelId: 'demo', userId: `bench-token-${side}`, userName: 'Bench' });
    let cursor = 0;
    if (side === 'connector') await ask(connector, { type: 'upstreamSends' });
    for (let i = 0; i < ITERATIONS; i++) {
      tokens.invalidate();
      await timed(`${side} applyToken`, () => tokens.getToken());
      await timed(`${side} queryChannelConfig`, () => client.channelConfig());
      const t0 = performance.now();
      await timed(`${side} send`, () => client.send({ controlType: 'CHAT', mediaType: 'TEXT', content: `what are your hours? ${i}`, clientMessageId: crypto.randomUUID() }));
      if (side === 'connector') sendTimes.push(performance.now() - t0);
      const p = await timed(`${side} poll`, () => client.poll(cursor, 0));
      cursor = p.cursor;
      await timed(`${side} queryQueueInfo`, () => client.queueInfo());
      if (i % 10 === 0) await timed(`${side} queryHistoryChatMessage`, () => client.history());
    }
    if (side === 'connector') {
      // One upstream /send per send, in order (one customer at a time).
      const { ms: face } = await ask<{ ms: number[] }>(connector, { type: 'upstreamSends' });
      face.forEach((f, k) => {
        rec.record('send: the CEC face', f);
        if (sendTimes[k] !== undefined) rec.record("send: the connector's own", sendTimes[k]! - f);
      });
    }
    await client.send({ controlType: 'DISCONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() });
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
  const face = byRoute.get('send: the CEC face');
  const own = byRoute.get("send: the connector's own");
  if (face && own)
    console.log(
      `\nsend through the connector, split: its upstream /send to the CEC face p50 ${ms(face.p50)} p99 ${ms(face.p99)} ms; the connector's own work (browser hop, store, idempotency) p50 ${ms(own.p50)} p99 ${ms(own.p99)} ms`,
    );
  console.log(`load average at the end of part 1: ${load1()}`);

  // ---- 2. N concurrent customers --------------------------------------------------------------
  const heap0 = await ask<Heap>(connector, { type: 'heap' });
  if (process.env.BENCH_SNAPSHOT_DIR) await ask(connector, { type: 'snapshot' });
  await ask(connector, { type: 'upstreamCalls' });
  let peak: Heap | null = null;
  const cpu0 = { connector: cpuSeconds(connector.pid), mock: cpuSeconds(mock.pid) };
  process.stderr.write(`${CUSTOMERS} customers arriving ${RATE}/s…\n`);
  const load = await runCustomers([connectorUrl], {
    customers: CUSTOMERS,
    rate: RATE,
    warmup: Number(values.warmup),
    think: Number(values.think),
    tag: 'load',
    atPeak: async () => {
      peak = await ask<Heap>(connector, { type: 'heap' });
    },
  });
  const loadAtEnd = load1();
  const cpu = { connector: cpuSeconds(connector.pid) - cpu0.connector, mock: cpuSeconds(mock.pid) - cpu0.mock, load: load.cpuSeconds };
  const {
    calls: upstreamCalls,
    failures: upstreamFailures,
    events: connectorEvents,
  } = await ask<{ calls: Record<string, number[]>; failures: Record<string, number>; events: Record<string, number> }>(connector, { type: 'upstreamCalls' });
  console.log(
    `\n2. ${CUSTOMERS} concurrent customers on one connector process: arriving ${RATE}/s (over ${(CUSTOMERS / RATE).toFixed(0)} s), ` +
      `all ${load.peakOpen} connected at once (long poll open, a message every ~${values.think} s), then leaving ${RATE}/s; ` +
      `${load.warmup} warm-up customers first, not measured; ${load.seconds.toFixed(1)} s; load generator, connector and CEC face in 3 processes\n`,
  );
  console.log(
    table(
      ['call', 'count', 'p50 ms', 'p99 ms', 'max ms', 'errors'],
      load.routes.map((r) => [r.route, r.count, ms(r.p50), ms(r.p99), ms(r.max), r.errors]),
    ),
  );
  const upstreamRec = new LatencyRecorder();
  for (const [path, list] of Object.entries(upstreamCalls)) for (const t of list) upstreamRec.record(path, t);
  const totalUpstream = upstreamRec.requests;
  console.log(
    `\nupstream (CEC) requests, warm-up included: ${totalUpstream} in ${load.seconds.toFixed(0)} s, ${(totalUpstream / (CUSTOMERS + load.warmup)).toFixed(1)} per customer — ` +
      upstreamRec
        .routes()
        .sort((a, b) => b.count - a.count)
        .map((r) => `${r.route} ${r.count} (p50 ${ms(r.p50)} p99 ${ms(r.p99)} ms)`)
        .join(', '),
  );
  console.log(`upstream answers that were not 2xx (route status: count; 0 = no answer): ${JSON.stringify(upstreamFailures)}`);
  console.log(`connector log records other than a successful upstream call: ${JSON.stringify(connectorEvents)}`);
  console.log(
    `CPU seconds used in part 2 (warm-up included): connector ${cpu.connector.toFixed(1)} (${((cpu.connector * 1000) / (CUSTOMERS + load.warmup)).toFixed(1)} ms per customer), ` +
      `CEC face ${cpu.mock.toFixed(1)}, load generator ${cpu.load.toFixed(1)}`,
  );
  const quick = load.routes.filter((r) => QUICK_ROUTES.includes(r.route));
  const worstP99 = Math.max(...quick.map((r) => r.p99));
  const ok = worstP99 < TARGET_P99_MS && load.errors === 0;
  console.log(`\nworst p99 of applyToken and sends: ${ms(worstP99)} ms, ${load.errors} errors: ${ok ? 'MET' : 'NOT met'} (target p99 < ${TARGET_P99_MS} ms, 0 errors); load average ${loadAtEnd}`);

  process.exitCode = ok ? 0 : 1;
  if (values.memory === 'off') return;

  // ---- 3. memory --------------------------------------------------------------------------------
  // The browsers are gone (the load generator exited). Retention and token lifetimes pass, then
  // idle upstream connections close by their keep-alive timeout (a few seconds).
  const afterLeaving = async (): Promise<{ heap: Heap; store: Record<string, number> }> => {
    const left = await ask<{ store: Record<string, number> }>(connector, { type: 'leave', skewMs: 25 * 3600_000 });
    let h = await ask<Heap>(connector, { type: 'heap' });
    const waitUntil = performance.now() + 20_000;
    while (h.sockets > heap0.sockets && performance.now() < waitUntil) {
      await new Promise((r) => setTimeout(r, 500));
      h = await ask<Heap>(connector, { type: 'heap' });
    }
    return { heap: h, store: left.store };
  };
  const first = await afterLeaving();
  const after = first.heap;
  if (process.env.BENCH_SNAPSHOT_DIR) await ask(connector, { type: 'snapshot' });
  // A second wave as large: what stays after the first is reused, not added to.
  process.stderr.write(`a second wave of ${CUSTOMERS} customers (memory only)…\n`);
  await runCustomers([connectorUrl], { customers: CUSTOMERS, rate: RATE, warmup: 0, think: Number(values.think), tag: 'again' });
  const second = await afterLeaving();
  const left = second;
  const per = (h: Heap) => ((h.heapUsed - heap0.heapUsed) / 1024 / CUSTOMERS).toFixed(1);
  const pk = peak as Heap | null;
  console.log(`\n3. Memory of the connector process (heap after GC${heap0.exact ? '' : ' — run with --expose-gc for exact figures'})\n`);
  console.log(
    table(
      ['', 'heap KB', 'per customer KB', 'open sockets'],
      [
        ['before (after part 1: warm)', Math.round(heap0.heapUsed / 1024), '', heap0.sockets],
        [`${CUSTOMERS} connected (the peak)`, pk ? Math.round(pk.heapUsed / 1024) : '-', pk ? per(pk) : '-', pk ? pk.sockets : '-'],
        ['after they left (retention passed)', Math.round(after.heapUsed / 1024), per(after), after.sockets],
        [`after a second wave of ${CUSTOMERS} left`, Math.round(second.heap.heapUsed / 1024), per(second.heap), second.heap.sockets],
      ],
    ),
  );
  const growth = (second.heap.heapUsed - after.heapUsed) / 1024 / CUSTOMERS;
  console.log(
    `\nfrom the first wave's leaving to the second's: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} KB per customer (${growth <= 1 ? 'flat' : 'NOT flat'}). What stays after the first ` +
      `wave is reused by the next: the upstream connection pool at its high-water mark (one pooled client per upstream connection that was open at the peak) and compiled code.`,
  );
  console.log(`store after: ${JSON.stringify(left.store)}`);
  console.log(
    `\nsummary: added p50 send ${ms(byRoute.get('connector send')!.p50 - byRoute.get('direct send')!.p50)} ms, p99 ${ms(byRoute.get('connector send')!.p99 - byRoute.get('direct send')!.p99)} ms; ` +
      `${CUSTOMERS} customers arriving ${RATE}/s, ${load.peakOpen} at once: worst p99 of applyToken and sends ${ms(worstP99)} ms, ${load.errors} errors; ` +
      `${pk ? per(pk) : '-'} KB per connected customer, ${per(after)} KB after they left, ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} KB per customer after a second wave left; load average ${load1()}`,
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
