/**
 * The load generator of `npm run bench:connector` and `npm run bench:redis`, run in a process of
 * its own (as browsers are on other machines): customers ARRIVE at a stated rate, each one then
 * stays connected (a long poll always open) while it chats, and they leave at the same rate once
 * every customer has arrived, so that at the peak all N sessions are open at once. Nothing of it
 * is a burst of N requests in the same millisecond.
 *
 * One customer: applyToken, send CONNECT, a question to the chatbot ("what are your opening
 * hours?") and its answer by long poll, then a CHAT every `--think` seconds while a long poll
 * stays open, until its turn to leave: send DISCONNECT.
 *
 * Before the measured customers, `--warmup` customers do the same at the same rate and are not
 * measured (the JIT of every process, the first upstream AccessToken, connection set-up).
 *
 * Prints progress on stderr and, on stdout, one line `PEAK` when every measured customer is
 * connected (then waits for one line on stdin before they leave, so the caller can take its
 * measurements at the peak), then one JSON line: {@link LoadResult}.
 *
 *   tsx scripts/bench/customers.ts --urls http://127.0.0.1:8788[,http://…] --customers 1000
 *     --rate 50 [--warmup 20] [--think 60] [--tag load] [--pause-at-peak]
 *
 * With several URLs every request goes to the next one (a load balancer's round robin).
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { ChannelClient } from '../../widget/client/channel-client.js';
import { LatencyRecorder } from '../lib/stats.js';
import type { LoadResult } from './procs.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fetch that sends each request to the next of `urls` (round robin). */
function roundRobin(urls: string[]): typeof fetch {
  let next = 0;
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const u = new URL(String(input));
    return fetch(urls[next++ % urls.length] + u.pathname + u.search, init);
  }) as typeof fetch;
}

interface Wave {
  n: number;
  tag: string;
  rec: LatencyRecorder | null;
}

/**
 * Runs `n` customers arriving `rate` per second; resolves when all left. `atPeak` runs once all
 * have arrived and asked their question, before the first one leaves.
 */
async function wave(fetchFn: typeof fetch, w: Wave, rate: number, thinkMs: number, atPeak: () => Promise<void>, counters: { open: number; peak: number; downlinks: number }): Promise<void> {
  const rec = w.rec;
  const step = async <T>(route: string, fn: () => Promise<T>): Promise<T | null> => {
    const t = performance.now();
    try {
      const r = await fn();
      rec?.record(route, performance.now() - t);
      return r;
    } catch {
      rec?.record(route, performance.now() - t, true);
      return null;
    }
  };
  let ready = 0;
  let releasePeak!: () => void;
  const allReady = new Promise<void>((r) => (releasePeak = r));
  let leaveAt = 0;
  const peakDone = allReady.then(atPeak).then(() => {
    leaveAt = performance.now();
  });
  const t0 = performance.now();
  const gap = 1000 / rate;
  const one = async (i: number) => {
    await sleep(Math.max(0, t0 + i * gap - performance.now()));
    const c = new ChannelClient({ baseUrl: 'http://lb.test', channelId: 'demo', userId: `${w.tag}-${i}`, userName: `Load ${i}`, fetch: fetchFn, requestTimeoutMs: 30_000 });
    const token = await step('applyToken', () => c.getToken());
    if (token === null) {
      if (++ready === w.n) releasePeak();
      return;
    }
    counters.peak = Math.max(counters.peak, ++counters.open);
    await step('send CONNECT', () => c.send({ controlType: 'CONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() }));
    await step('send CHAT', () => c.send({ controlType: 'CHAT', mediaType: 'TEXT', content: 'what are your opening hours?', clientMessageId: crypto.randomUUID() }));
    let cursor = 0;
    const asked = performance.now();
    for (let k = 0; k < 10; k++) {
      const p = await step('poll (long, wait ≤ 25 s)', () => c.poll(cursor, 25));
      if (!p) continue;
      cursor = p.cursor;
      if (p.downlinkMessages.some((m) => m.event === 'bot.reply')) break;
    }
    rec?.record('question → answer seen', performance.now() - asked);
    if (++ready === w.n) releasePeak();
    // Connected while the others arrive, and until its own turn to leave (they leave at the rate
    // they came, in the order they came): a long poll open, a message now and then. Each closes
    // its own long poll when it leaves; closing all of them at the same instant (as this
    // benchmark once did) made the first to leave wait ~1 s behind that storm.
    const leave = new AbortController();
    const leaving = peakDone.then(() => sleep(Math.max(0, leaveAt + i * gap - performance.now()))).then(() => leave.abort());
    let nextChat = performance.now() + thinkMs * (0.5 + Math.random());
    while (!leave.signal.aborted) {
      const wait = Math.max(1, Math.min(25, Math.round((nextChat - performance.now()) / 1000)));
      try {
        const p = await c.poll(cursor, wait, leave.signal);
        cursor = p.cursor;
      } catch {
        if (!leave.signal.aborted) {
          rec?.record('poll (long, wait ≤ 25 s)', 0, true);
          await sleep(1000); // a failing poll is not repeated in a tight loop
        }
      }
      if (!leave.signal.aborted && performance.now() >= nextChat) {
        await step('send CHAT', () => c.send({ controlType: 'CHAT', mediaType: 'TEXT', content: 'still there?', clientMessageId: crypto.randomUUID() }));
        nextChat = performance.now() + thinkMs * (0.5 + Math.random());
      }
    }
    await leaving;
    // The first 2% to leave are also timed apart: they leave while everything else is changing
    // at once (the peak ends), so a slow tail there says what, not which call, is slow.
    const disconnect = () => c.send({ controlType: 'DISCONNECT', mediaType: 'TEXT', content: '', clientMessageId: crypto.randomUUID() });
    const t = performance.now();
    const ok = await step('send DISCONNECT', disconnect);
    if (i < Math.ceil(w.n * 0.02)) rec?.record('send DISCONNECT (the first 2% to leave)', performance.now() - t, ok === null);
    counters.open--;
    counters.downlinks += cursor;
  };
  await Promise.all(Array.from({ length: w.n }, (_, i) => one(i)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      urls: { type: 'string' },
      customers: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '20' },
      think: { type: 'string', default: '60' },
      tag: { type: 'string', default: 'load' },
      'pause-at-peak': { type: 'boolean', default: false },
    },
  });
  const urls = String(values.urls ?? '')
    .split(',')
    .filter(Boolean);
  if (!urls.length) throw new Error('--urls is required');
  const n = Number(values.customers);
  const rate = Number(values.rate);
  const warm = Number(values.warmup);
  const thinkMs = Number(values.think) * 1000;
  const fetchFn = roundRobin(urls);
  const lines = createInterface({ input: process.stdin });
  const nextLine = () => new Promise<void>((r) => lines.once('line', () => r()));
  if (warm > 0) {
    process.stderr.write(`  warm-up: ${warm} customers (not measured)…\n`);
    await wave(fetchFn, { n: warm, tag: `${values.tag}-warm`, rec: null }, rate, thinkMs, async () => {}, { open: 0, peak: 0, downlinks: 0 });
  }
  const rec = new LatencyRecorder();
  const counters = { open: 0, peak: 0, downlinks: 0 };
  const started = performance.now();
  await wave(
    fetchFn,
    { n, tag: values.tag!, rec },
    rate,
    thinkMs,
    async () => {
      if (!values['pause-at-peak']) return;
      process.stdout.write('PEAK\n');
      await nextLine();
    },
    counters,
  );
  const result: LoadResult = {
    customers: n,
    rate,
    warmup: warm,
    seconds: (performance.now() - started) / 1000,
    peakOpen: counters.peak,
    routes: rec.routes(),
    errors: rec.errors,
    downlinks: counters.downlinks,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  lines.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
