/**
 * HTTP load benchmark of the mock contact center:
 *
 *   npx tsx scripts/load.ts --sessions 1000 --concurrency 100 [--agents 50] [--poll-wait 2] [--timeout 120] [--in-process]
 *   npx tsx --expose-gc scripts/load.ts --memory 100000
 *
 * Starts the mock's plain Node HTTP server in a process of its own (this script, run with
 * `--serve`; `--in-process` keeps it in this one) on 127.0.0.1 (a free port), with the
 * seeded tenant plus `--agents` multimedia agents `load-agent-<i>` on WebSupport (signed in and
 * ready), WebSupport's wrap-up (arrangingDuration) set to 0 s so agents take the next customer at
 * once on the real clock, and maxCallsInQueue raised so nobody is released as busy. Then it runs
 * `--sessions` customers, `--concurrency` at a time, each through a full conversation over real
 * HTTP (node:http with a keep-alive agent; `--fetch` uses the global fetch, whose own CPU per
 * request is about the server's, so that on two cores the client's queueing shows in the latency):
 *
 *   applyToken → CONNECT → CHAT "hours" (bot answers) → CHAT "agent" (queue) → an agent accepts
 *   (POST /mock/agents/:a/accept) → CHAT → the agent reads it (GET /mock/agents/:a) → the agent
 *   answers (POST /mock/agents/:a/send) → the customer sees it → DISCONNECT
 *
 * The customer polls by cursor (`wait` = --poll-wait seconds: the server answers as soon as
 * there is news) until each expected reply has arrived. Prints per-route latency percentiles
 * and one summary line; exits 1 when a session failed or the global timeout hit. Also printed:
 * the load average of the machine at start and end (latency on a busy machine says little), and
 * the CPU time (user + system) the server process spent on the measured part, per request —
 * the figure that compares two versions of the server when the machine is not quiet.
 *
 * `--memory N` measures the retained heap of the contact center itself (no HTTP): N customers
 * each apply for a token, connect, chat and disconnect, one mock-clock second apart; the heap
 * after a full GC is printed every N/10 sessions, with the sessions and customers kept.
 */
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { DownlinkMessage, PollResponse } from '../widget/core/protocol.js';
import { seedTenant } from '../mock-server/config/seed.js';
import { TenantStore } from '../mock-server/config/store.js';
import type { Tenant } from '../mock-server/config/types.js';
import { validateTenant } from '../mock-server/config/validate.js';
import { createMockHttpServer } from '../mock-server/http/server.js';
import { LatencyRecorder, intFlag, latencyTable, ms, waitFor } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '200' },
    agents: { type: 'string', default: '50' },
    'poll-wait': { type: 'string', default: '2' },
    timeout: { type: 'string', default: '120' },
    'in-process': { type: 'boolean', default: false },
    serve: { type: 'boolean', default: false },
    fetch: { type: 'boolean', default: false },
    memory: { type: 'string' },
  },
});
const SESSIONS = intFlag(values, 'sessions');
const CONCURRENCY = intFlag(values, 'concurrency');
const AGENTS = intFlag(values, 'agents');
const POLL_WAIT = intFlag(values, 'poll-wait', 0);
const TIMEOUT_S = intFlag(values, 'timeout');
/** Polls one customer may make while waiting for one expected reply. */
const MAX_POLLS_PER_STEP = 200;

const QUEUE = 'WebSupport';
const CHANNEL = 'demo';

function loadTenant(): Tenant {
  const t = seedTenant();
  const q = t.skillQueues.find((x) => x.name === QUEUE)!;
  q.arrangingDuration = 0;
  q.maxCallsInQueue = 10_000;
  t.allowances.multimediaAgents += AGENTS;
  for (let i = 0; i < AGENTS; i++) {
    t.agents.push({
      account: `load-agent-${i}`,
      name: `Load Agent ${i}`,
      employeeId: String(50_000 + i),
      platformRole: 'commonAgent',
      agentType: 'multimedia',
      intelligentRecognition: false,
      singlePhoneSignIn: false,
      anonymization: false,
      skillQueues: [QUEUE],
    });
  }
  validateTenant(t);
  return t;
}

if (values.memory !== undefined) {
  await measureMemory(intFlag(values, 'memory'));
  process.exit(0);
}

/** The server side: the load tenant, its agents signed in and ready; prints `PORT <n>`. */
function startServer(): Promise<{ port: number; close(): void }> {
  const { server, cc } = createMockHttpServer({ store: new TenantStore(loadTenant) });
  for (let i = 0; i < AGENTS; i++) {
    cc.desk.signIn(`load-agent-${i}`);
    cc.desk.setReady(`load-agent-${i}`, true);
  }
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => {
          server.closeAllConnections();
          server.close();
          cc.clock.clear();
        },
      }),
    ),
  );
}

if (values.serve) {
  const { port } = await startServer();
  console.log(`PORT ${port}`);
  // Each line `cpu` on stdin is answered with the CPU time this process has used so far.
  process.stdin.on('data', (c: Buffer) => {
    for (const line of c.toString().split('\n')) {
      if (line.trim() === 'cpu') {
        const u = process.cpuUsage();
        console.log(`CPU ${u.user + u.system}`);
      }
    }
  });
  process.stdin.on('end', () => process.exit(0)); // the client is gone
  process.on('SIGTERM', () => process.exit(0)); // an orderly exit (writes a --cpu-prof profile)
  await new Promise(() => {});
}

interface ServerHandle {
  port: number;
  close(): void;
  where: string;
  /** CPU time (user + system, µs) the server's process has used so far. */
  cpu(): Promise<number>;
}

/** The server in a child process of its own (the default), or in this one with --in-process. */
async function serverProcess(): Promise<ServerHandle> {
  if (values['in-process']) {
    const cpu = async () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    };
    return { ...(await startServer()), where: 'in this process', cpu };
  }
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', '--agents', String(AGENTS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let cpuWaiter: ((us: number) => void) | null = null;
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
      let cpuLine: RegExpExecArray | null;
      while ((cpuLine = /CPU (\d+)\n/.exec(out))) {
        out = out.slice(cpuLine.index + cpuLine[0].length);
        cpuWaiter?.(Number(cpuLine[1]));
        cpuWaiter = null;
      }
    });
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before listening`)));
  });
  const cpu = () =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server process did not report its CPU time within 10 s')), 10_000);
      cpuWaiter = (us) => {
        clearTimeout(timer);
        resolve(us);
      };
      child.stdin!.write('cpu\n');
    });
  return { port, close: () => child.kill(), where: `in its own process (pid ${child.pid})`, cpu };
}

const loadAtStart = loadavg();

const srv = await serverProcess();
const agents = Array.from({ length: AGENTS }, (_, i) => `load-agent-${i}`);
const base = `http://127.0.0.1:${srv.port}`;

const stats = new LatencyRecorder();
const deadline = new AbortController();
/**
 * Requests in flight, cut off together at the global timeout: each registers how to abort it
 * (destroying a node:http request costs nothing until it is needed; an AbortController and
 * signal listener per request were a good part of the client's own CPU per request).
 */
const inFlight = new Set<() => void>();
const timer = setTimeout(() => {
  deadline.abort();
  for (const abort of inFlight) abort();
  pool.fail();
}, TIMEOUT_S * 1000);

class RequestFailed extends Error {}

/** Keep-alive connections for the node:http client, as many as requests in flight. */
const keepAlive = new Agent({ keepAlive: true, maxSockets: Math.max(CONCURRENCY, 1) * 2 });

/**
 * One HTTP exchange with the server: its status and body text. node:http by default (the
 * request options are given as fields, not a URL to parse), the global fetch with --fetch.
 * Registered in `inFlight` until it settles, so the global timeout aborts it; after the
 * timeout nothing is sent. `opts.headers` is the request's own object (content-length is added to it).
 */
async function exchange(method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; text: string }> {
  if (deadline.signal.aborted) throw new Error('the global timeout was reached');
  if (values.fetch) {
    const abort = new AbortController();
    const cancel = () => abort.abort();
    inFlight.add(cancel);
    try {
      const res = await fetch(base + path, { method, headers: opts.headers ?? {}, body: opts.body, signal: abort.signal });
      return { status: res.status, text: await res.text() };
    } finally {
      inFlight.delete(cancel);
    }
  }
  return new Promise((resolve, reject) => {
    const headers = opts.headers ?? {};
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
    const req = httpRequest({ hostname: '127.0.0.1', port: srv.port, path, method, headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        inFlight.delete(cancel);
        // Most answers arrive in one chunk: decoded as it is, not copied first.
        resolve({ status: res.statusCode ?? 0, text: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8') });
      });
      res.on('error', fail);
    });
    const cancel = () => req.destroy(new Error('aborted at the global timeout'));
    function fail(e: Error) {
      inFlight.delete(cancel);
      reject(e);
    }
    inFlight.add(cancel);
    req.on('error', fail);
    req.end(opts.body);
  });
}
/** Requests cut off by the global timeout: counted here, not as samples of their route. */
let abortedAtTimeout = 0;

/**
 * One timed HTTP call, its answer's text; any status but 2xx, or no answer, is an error of its
 * route. The latency is the whole exchange: from before the request is written until the last
 * byte of the answer was read.
 */
async function timed(route: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<string> {
  // A turn of the event loop first, as any real client has between two calls: a client frees a
  // keep-alive connection only a tick after its response was read, so a request sent in the
  // same tick opens a new connection instead, and while the process is saturated a new
  // connection waits seconds to be accepted. (Not part of the measured latency.)
  await new Promise((resolve) => setImmediate(resolve));
  if (deadline.signal.aborted) throw new RequestFailed(`${route}: not sent, the global timeout was reached`);
  const h: Record<string, string> = { ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  const t0 = performance.now();
  let status: number;
  let text: string;
  try {
    ({ status, text } = await exchange(method, path, { headers: h, body: body === undefined ? undefined : JSON.stringify(body) }));
  } catch (e) {
    if (deadline.signal.aborted) abortedAtTimeout++;
    else stats.record(route, performance.now() - t0, true);
    throw new RequestFailed(`${route}: ${deadline.signal.aborted ? 'aborted at the global timeout' : (e as Error).message}`);
  }
  const elapsed = performance.now() - t0;
  const ok = status >= 200 && status < 300;
  stats.record(route, elapsed, !ok);
  if (!ok) throw new RequestFailed(`${route}: HTTP ${status} ${text.slice(0, 200)}`);
  return text;
}

/** A timed call whose JSON answer the session reads (an answer nobody reads is not parsed: client CPU). */
async function call<T>(route: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  return JSON.parse(await timed(route, method, path, body, headers)) as T;
}

/** Free agents, handed out first come first served. */
class AgentPool {
  private free: string[];
  private waiters: Array<{ resolve: (a: string) => void; reject: (e: Error) => void }> = [];
  constructor(accounts: string[]) {
    this.free = [...accounts];
  }
  acquire(): Promise<string> {
    if (deadline.signal.aborted) return Promise.reject(new RequestFailed('no agent before the global timeout'));
    const a = this.free.shift();
    if (a) return Promise.resolve(a);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
  release(a: string): void {
    const next = this.waiters.shift();
    if (next) next.resolve(a);
    else this.free.push(a);
  }
  /** At the global timeout: nobody waits any longer. */
  fail(): void {
    for (const w of this.waiters.splice(0)) w.reject(new RequestFailed('no agent before the global timeout'));
  }
}
const pool = new AgentPool(agents);

const API = '/apiaccess/ccmessaging';

class Customer {
  token = '';
  cursor = 0;
  seen: DownlinkMessage[] = [];
  private n = 0;
  constructor(readonly userId: string) {}

  async applyToken(): Promise<void> {
    const r = await call<{ token: string }>('POST applyToken', 'POST', `${API}/applyToken`, { channelId: CHANNEL, userId: this.userId, userName: this.userId, locale: 'en' });
    this.token = r.token;
  }

  async send(controlType: 'CONNECT' | 'CHAT' | 'DISCONNECT', content = ''): Promise<void> {
    const body = {
      channel: 'WEB',
      controlType,
      mediaType: 'TEXT',
      content,
      from: this.userId,
      to: CHANNEL,
      senderNickname: this.userId,
      sourceType: 'CUSTOMER',
      timestamp: Date.now(),
      clientMessageId: `${this.userId}-${++this.n}`,
    };
    await timed(`POST send ${controlType}`, 'POST', `${API}/send`, body, { 'ccmessaging-token': this.token });
  }

  /** Polls by cursor until a message after `from` matches `pred`; returns it. */
  async expect(what: string, pred: (m: DownlinkMessage) => boolean, from = this.cursor): Promise<DownlinkMessage> {
    for (let i = 0; i < MAX_POLLS_PER_STEP; i++) {
      const found = this.seen.find((m) => m.seq > from && pred(m));
      if (found) return found;
      const r = await call<PollResponse>('GET poll', 'GET', `${API}/poll?receiverId=${encodeURIComponent(this.userId)}&channel=WEB&cursor=${this.cursor}&wait=${POLL_WAIT}`, undefined, {
        'ccmessaging-token': this.token,
      });
      this.seen.push(...r.downlinkMessages);
      this.cursor = r.cursor;
    }
    throw new RequestFailed(`${this.userId}: no ${what} after ${MAX_POLLS_PER_STEP} polls`);
  }
}

/** One full conversation; resolves when the customer has disconnected. */
async function conversation(i: number): Promise<void> {
  const c = new Customer(`load-${i}`);
  await c.applyToken();
  await c.send('CONNECT');
  await c.expect('chatbot greeting', (m) => m.event === 'bot.greeting');
  let mark = c.cursor;
  await c.send('CHAT', 'What are your opening hours?');
  await c.expect('chatbot answer', (m) => m.event === 'bot.reply', mark);
  mark = c.cursor;
  await c.send('CHAT', 'agent');
  const queued = await c.expect('queue.joined', (m) => m.event === 'queue.joined', mark);

  const agent = await pool.acquire();
  try {
    mark = c.cursor;
    await timed('POST agents/:a/accept', 'POST', `/mock/agents/${agent}/accept`, { sessionId: queued.sessionId });
    await c.expect('agent.joined', (m) => m.event === 'agent.joined', mark);
    const text = `Hello from ${c.userId}`;
    await c.send('CHAT', text);
    const view = await call<{ agent: { session: { messages: DownlinkMessage[] } | null } }>('GET agents/:a', 'GET', `/mock/agents/${agent}`);
    if (!view.agent.session?.messages.some((m) => m.content === text)) throw new RequestFailed(`${agent} does not see the message of ${c.userId}`);
    mark = c.cursor;
    await timed('POST agents/:a/send', 'POST', `/mock/agents/${agent}/send`, { content: `Hi ${c.userId}, how can I help?` });
    await c.expect('agent message', (m) => m.sourceType === 'AGENT' && m.controlType === 'CHAT', mark);
    await c.send('DISCONNECT');
    // Wrap-up is 0 s but still ends on the next tick of the mock clock: wait for it before the
    // agent takes the next customer (not a request of the benchmark: not measured).
    // A long poll on the agent's snapshot: it answers as soon as the agent changed.
    let status = '';
    let version = 0;
    const idle = async () => {
      const view = JSON.parse((await exchange('GET', `/mock/agents/${agent}?version=${version}&wait=5`)).text) as { agent: { status: string; version: number } };
      ({ status, version } = view.agent);
      return status === 'idle';
    };
    if (!(await waitFor(idle, 5_000, 0, deadline.signal))) {
      throw new RequestFailed(`${agent} is still ${status} after the session ended`);
    }
  } finally {
    pool.release(agent);
  }
}

// Warm-up (not measured): every worker makes a few requests at once so that the client's keep-alive
// pool has its connections before timing starts: while the process is saturated, the busy
// event loop accepts a new connection late (up to seconds, also with a bare node:http server).
const WARMUP_ROUNDS = 5;
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, SESSIONS) }, async () => {
    for (let i = 0; i < WARMUP_ROUNDS && !deadline.signal.aborted; i++) await exchange('GET', '/mock/clock');
  }),
);

const failures: string[] = [];
let completed = 0;
let next = 0;
const cpuAtStart = await srv.cpu();
const clientCpuAtStart = process.cpuUsage();
const t0 = performance.now();
async function worker(): Promise<void> {
  while (next < SESSIONS && !deadline.signal.aborted) {
    const i = next++;
    try {
      await conversation(i);
      completed++;
    } catch (e) {
      failures.push(`session ${i}: ${(e as Error).message}`);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(CONCURRENCY, SESSIONS) }, worker));
const elapsed = (performance.now() - t0) / 1000;
const serverCpuMs = ((await srv.cpu()) - cpuAtStart) / 1000;
const clientCpu = process.cpuUsage(clientCpuAtStart);
const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000;
clearTimeout(timer);
const loadAtEnd = loadavg();
const timedOut = deadline.signal.aborted;

console.log(`Mock contact center at ${base}, ${srv.where}: ${AGENTS} agents on ${QUEUE}, arrangingDuration 0 s (wrap-up off for the load tenant), real clock.`);
console.log(
  `${SESSIONS} sessions, concurrency ${CONCURRENCY}, poll wait ${POLL_WAIT} s, client ${values.fetch ? 'global fetch' : 'node:http keep-alive'}, after a warm-up of ${WARMUP_ROUNDS} GET /mock/clock per worker (not measured).`,
);
console.log(`Latency is measured by the client, per request${values['in-process'] ? '; client and server share this process (and its cores)' : ''}.`);
const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`Load average (1, 5, 15 min) at start: ${la(loadAtStart)}; at end: ${la(loadAtEnd)} (${availableParallelism()} cores).\n`);
console.log(latencyTable(stats.routes()));
const all = stats.overall();
console.log('');
if (failures.length) {
  console.log(`${failures.length} session(s) failed; the first ones:`);
  for (const f of failures.slice(0, 10)) console.log(`  ${f}`);
}
if (timedOut) console.log(`Global timeout of ${TIMEOUT_S} s reached: ${abortedAtTimeout} request(s) cut off, ${SESSIONS - completed} session(s) not completed.`);
console.log(
  `${completed} sessions completed in ${elapsed.toFixed(2)} s: ${(completed / elapsed).toFixed(1)} sessions/s, ` +
    `${(stats.requests / elapsed).toFixed(0)} requests/s, p50 ${ms(all.p50)} ms, p99 ${ms(all.p99)} ms, errors ${stats.errors}`,
);
console.log(
  `Server CPU (user + system) over the measured part: ${serverCpuMs.toFixed(0)} ms, ${(serverCpuMs / Math.max(1, stats.requests)).toFixed(3)} ms per measured request (the agents' unmeasured idle polls add to the CPU)` +
    `${values['in-process'] ? ' (client included: one process)' : ''}; ` +
    `client CPU: ${clientCpuMs.toFixed(0)} ms, ${(clientCpuMs / Math.max(1, stats.requests)).toFixed(3)} ms per request (a saturated client adds its own queueing to the latency).`,
);

srv.close();
process.exit(timedOut || failures.length > 0 || completed !== SESSIONS ? 1 : 0);

/**
 * The contact center's retained heap over `n` customers, each a whole short chat, one mock
 * second apart (so the retention rule works as it would in a day of traffic).
 */
async function measureMemory(n: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('--memory needs --expose-gc (npx tsx --expose-gc scripts/load.ts --memory N)');
  const { ContactCenter } = await import('../mock-server/runtime/contact-center.js');
  const { Clock } = await import('../mock-server/runtime/clock.js');
  const clock = new Clock('manual', Date.parse('2026-11-25T02:00:00Z'));
  const cc = new ContactCenter({ clock, store: new TenantStore(loadTenant) });
  for (const a of ['alice']) {
    cc.desk.signIn(a);
    cc.desk.setReady(a, true);
  }
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed / 1024 / 1024;
  };
  const kept = () => {
    const c = cc as unknown as { sessionCount?: number; allSessions(): unknown[] };
    return c.sessionCount ?? c.allSessions().length;
  };
  const start = heap();
  console.log(`heap before: ${start.toFixed(1)} MB`);
  const step = Math.max(1, Math.floor(n / 10));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const userId = `mem-${i}`;
    const t = await cc.applyToken({ channelId: CHANNEL, userId, userName: userId }, null);
    const id = cc.authenticate(t.token);
    const msg = { channel: 'WEB' as const, mediaType: 'TEXT' as const, from: userId, to: CHANNEL, senderNickname: userId, sourceType: 'CUSTOMER' as const, timestamp: clock.now() };
    cc.send(id, { ...msg, controlType: 'CONNECT', content: '', clientMessageId: `${userId}-1` });
    cc.send(id, { ...msg, controlType: 'CHAT', content: 'What are your opening hours?', clientMessageId: `${userId}-2` });
    cc.send(id, { ...msg, controlType: 'DISCONNECT', content: '', clientMessageId: `${userId}-3` });
    clock.advance(1000);
    if ((i + 1) % step === 0) {
      console.log(`${String(i + 1).padStart(7)} sessions: heap ${heap().toFixed(1)} MB, sessions kept ${kept()}, ${((performance.now() - t0) / (i + 1)).toFixed(3)} ms per session`);
    }
  }
  console.log(`heap after ${n} sessions: ${heap().toFixed(1)} MB (before: ${start.toFixed(1)} MB)`);
  cc.clock.clear();
}
