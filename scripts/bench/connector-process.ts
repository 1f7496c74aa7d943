/**
 * One connector (memory store) in a process of its own, for `npm run bench:connector`, driven
 * over the IPC channel by the benchmark: prints `listening on <url>`, then answers
 * - `{ type: 'heap' }` → `{ heapUsed, sockets }`: the heap after two full GCs (run it with
 *   --expose-gc) and the open TCP sockets of this process;
 * - `{ type: 'leave', skewMs }` → `{ store }`: moves the connector's clock forward by `skewMs`
 *   (past retention and token lifetimes), runs the connector's and the store's sweeps;
 * - `{ type: 'upstreamCalls' }` → `{ calls, failures }`: the duration (ms) of every upstream
 *   request since the last ask, by the last segment of its path (a /send also by its
 *   controlType), the count of answers that were not 2xx, by route and status (0: none), and
 *   the count of the connector's other log records (failed calls, retries), by kind;
 * - `{ type: 'upstreamSends' }` → `{ ms: number[] }`: the duration of every upstream /send since
 *   the last ask, in order (a send's own cost is its time minus its CEC call's).
 *
 *   node --expose-gc --import tsx scripts/bench/connector-process.ts <mock-url>
 */
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../mock-server/config/seed.js';
import { createConnector } from '../../widget/server/connector/connector.js';
import { MemoryStore } from '../../widget/server/connector/memory-store.js';
import { serveFetch } from '../../widget/server/connector/serve.js';
import { seedConnectorConfig } from '../../test/server/connector/helpers.js';

const mockUrl = process.argv[2];
if (!mockUrl || !process.send) throw new Error('usage: run by scripts/bench/connector.ts with the mock URL and an IPC channel');
let skew = 0;
const now = () => Date.now() + skew;
const store = new MemoryStore({ now });
const config = seedConnectorConfig({ baseUrl: `${mockUrl}/cec`, pollTimeoutMs: 15_000, pollIdleMs: 200, timeoutMs: 10_000 });
let sends: number[] = [];
/** Upstream requests by path since the last ask. */
let calls = new Map<string, number[]>();
/** Upstream answers that were not 2xx (or no answer: status 0), by route and status, since the last ask. */
let failures = new Map<string, number>();
const timedFetch: typeof fetch = async (input, init) => {
  const t = performance.now();
  let path = new URL(String(input instanceof Request ? input.url : input)).pathname.replace(/.*\//, '');
  // A /send is told apart by what it carries (CONNECT, CHAT, DISCONNECT cost differently).
  if (path === 'send' && typeof init?.body === 'string') path = `send ${(JSON.parse(init.body) as { controlType?: string }).controlType ?? ''}`;
  let status = 0;
  try {
    const res = await fetch(input, init);
    status = res.status;
    return res;
  } finally {
    if (status < 200 || status > 299) failures.set(`${path} ${status}`, (failures.get(`${path} ${status}`) ?? 0) + 1);
    let list = calls.get(path);
    if (!list) calls.set(path, (list = []));
    list.push(performance.now() - t);
    if (String(input instanceof Request ? input.url : input).includes('/send')) sends.push(performance.now() - t);
  }
};
/** The connector's log records that are not a successful upstream call, counted by kind, since the last ask. */
let events = new Map<string, number>();
const log = (r: Record<string, unknown>) => {
  if (r.outcome === 'ok') return;
  const k = r.upstream ? `upstream ${r.upstream} ${r.outcome}` : `${r.event} ${r.route ?? ''} ${r.kind ?? r.reason ?? ''}`.trim();
  events.set(k, (events.get(k) ?? 0) + 1);
};
const connector = createConnector(config, { env: { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET }, log, store, now, fetch: timedFetch });
const served = await serveFetch(connector, { port: 0 });
const gc = (globalThis as { gc?: () => void }).gc;
const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

process.on('message', (m: { type: string; skewMs?: number }) => {
  void (async () => {
    if (m.type === 'heap') {
      gc?.();
      gc?.();
      return { heapUsed: process.memoryUsage().heapUsed, sockets: sockets(), exact: Boolean(gc) };
    }
    if (m.type === 'leave') {
      skew += m.skewMs ?? 0;
      await connector.sweep();
      store.sweep();
      return { store: store.sizes() };
    }
    if (m.type === 'upstreamSends') {
      const ms = sends;
      sends = [];
      return { ms };
    }
    if (m.type === 'snapshot' && process.env.BENCH_SNAPSHOT_DIR) {
      gc?.();
      return { file: (await import('node:v8')).writeHeapSnapshot(`${process.env.BENCH_SNAPSHOT_DIR}/${Date.now()}.heapsnapshot`) };
    }
    if (m.type === 'upstreamCalls') {
      const c = Object.fromEntries([...calls].map(([k, v]) => [k, v]));
      const f = Object.fromEntries(failures);
      const e = Object.fromEntries(events);
      calls = new Map();
      failures = new Map();
      events = new Map();
      return { calls: c, failures: f, events: e };
    }
    return { error: `unknown ${m.type}` };
  })().then((r) => process.send!(r));
});
const stop = async () => {
  await connector.close();
  await served.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdout.write(`listening on ${served.url}\n`);
