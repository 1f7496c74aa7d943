/**
 * Delivery under faults ("never lose a message"):
 *
 *   npx tsx scripts/soak.ts [--messages 150] [--seed 42] [--reload-at K] [--window 5] [--timer-scale 1] [--timeout S]
 *     [--drop-rate 0.2] [--error-rate 0.1] [--latency-ms 5] [--jitter-ms 40]   (--help lists them all)
 *
 * One process: the mock's plain Node HTTP server on 127.0.0.1 (a free port, real clock) with
 * seeded faults on the channel routes `send` and `poll` only — by default 20% of requests dropped
 * (half of them after the contact center processed them), 10% answered 503, 5–45 ms of latency — so the
 * agent's calls under /mock stay clean. The customer is the widget's real SessionRunner (real
 * timers, seeded jitter, long polls of 2 s, up to 50 attempts per message); the agent, alice,
 * works over HTTP through /mock/agents. The customer asks for an agent, alice accepts, then both
 * write `--messages` messages, interleaved: `c-<i>` from the customer (at most `--window`
 * unacknowledged at a time), `a-<i>` from alice. When both sides have everything (or at the
 * timeout) it prints, per direction, sent / delivered / duplicated / lost / out of order, the
 * resends and the faults the customer met, and exits 1 if anything was lost, duplicated or out
 * of order.
 *
 * Time: the customer's messages go out one after another, and a failed attempt waits the
 * runner's real backoff (0.25–0.5 s, doubling), so a message takes ~0.3–0.4 s on average under
 * these faults: 150 messages (the default) take about a minute, 1000 about six.
 * `--timer-scale 0.1` runs the runner's waits ten times faster (still real setTimeout).
 *
 * `--reload-at K`: after K customer messages the runner is destroyed and a new one starts for
 * the same user (a page reload without storage). Messages not yet acknowledged then are not
 * expected to survive (only those acknowledged before the reload, plus those written after,
 * are); the new runner's transcript (history + polling) must hold every agent message once.
 */
import type { AddressInfo } from 'node:net';
import { SessionRunner } from '../widget/client/runner.js';
import type { TranscriptItem } from '../widget/core/session.js';
import type { DownlinkMessage } from '../widget/core/protocol.js';
import { helpText, numberOption, parseCli, type CliOptions } from '../mock-server/http/cli-args.js';
import { createMockHttpServer } from '../mock-server/http/server.js';
import { seededRandom } from '../mock-server/runtime/faults.js';
import type { AgentSnapshot } from '../mock-server/runtime/agents.js';
import { intFlag, sleep, table, waitFor } from './lib/stats.js';

const OPTIONS: CliOptions = {
  messages: { type: 'string', default: '150', value: 'N', description: 'Messages each side writes' },
  seed: { type: 'string', default: '42', value: 'N', description: "Seed of the faults and of the runner's jitter (same seed, same run)" },
  'reload-at': { type: 'string', value: 'K', description: "Reload the customer's page (a new runner, no storage) after K of its messages" },
  window: { type: 'string', default: '5', value: 'N', description: 'Customer messages unacknowledged at a time, at most' },
  timeout: { type: 'string', value: 'S', description: 'Give up after S seconds (default about twice what the run should take)' },
  'timer-scale': { type: 'string', default: '1', value: 'X', description: "Factor above 0 and at most 1 on the runner's waits (0.1: ten times faster)" },
  'drop-rate': { type: 'string', default: '0.2', value: 'P', description: 'Share of send and poll requests dropped, from 0 to 1 (half of them after the contact center processed them)' },
  'error-rate': { type: 'string', default: '0.1', value: 'P', description: 'Share of send and poll requests answered 503, from 0 to 1' },
  'latency-ms': { type: 'string', default: '5', value: 'MS', description: 'Latency added to every send and poll, in ms (0 to 60000)' },
  'jitter-ms': { type: 'string', default: '40', value: 'MS', description: 'Random extra latency on top, up to this many ms (0 to 60000)' },
};
const parsed = parseCli(process.argv.slice(2), OPTIONS);
if (parsed.kind === 'help') {
  console.log(
    helpText(
      'npx tsx scripts/soak.ts [options]',
      'Delivery under faults: a widget runner and an agent exchange messages through the mock\nwith faults on the channel routes send and poll; exits 1 if anything was lost,\nduplicated or out of order.',
      OPTIONS,
    ),
  );
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(parsed.message);
  process.exit(2);
}
const { values } = parsed;
/** A number option, or one sentence and exit 2. */
const num = (name: string, min: number, max: number): number => {
  const n = numberOption(values, name, min, max);
  if (typeof n === 'string') {
    console.error(n);
    process.exit(2);
  }
  return n;
};
const M = intFlag(values, 'messages');
const SEED = intFlag(values, 'seed', 0);
const RELOAD_AT = values['reload-at'] === undefined ? null : intFlag(values, 'reload-at', 0);
const WINDOW = intFlag(values, 'window');
const TIMER_SCALE = Number(values['timer-scale']);
if (!(TIMER_SCALE > 0 && TIMER_SCALE <= 1)) {
  console.error(`--timer-scale must be a number above 0 and at most 1 (got "${String(values['timer-scale'])}").`);
  process.exit(2);
}
/** Default: about twice what the run should take (see Time above). */
const TIMEOUT_S = values.timeout === undefined ? 60 + Math.ceil(M * 0.8 * TIMER_SCALE) : intFlag(values, 'timeout');
if (RELOAD_AT !== null && RELOAD_AT >= M) {
  console.error(`--reload-at must be below --messages (${M}).`);
  process.exit(2);
}

const FAULTS = { dropRate: num('drop-rate', 0, 1), errorRate: num('error-rate', 0, 1), latencyMs: num('latency-ms', 0, 60_000), jitterMs: num('jitter-ms', 0, 60_000) };
const USER = `soak-${SEED}`;
const AGENT = 'alice';

const t0 = performance.now();
const deadline = Date.now() + TIMEOUT_S * 1000;
const left = () => Math.max(0, deadline - Date.now());

const { server, cc } = createMockHttpServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
cc.faults.seed(seededRandom(SEED));
for (const route of ['send', 'poll']) cc.faults.set(FAULTS, route);

// ── the agent, over HTTP (no faults on /mock; retried anyway, bounded) ───────────────────────

let agentRetries = 0;
async function agent(method: 'GET' | 'POST', path: string, body?: unknown): Promise<AgentSnapshot> {
  let last = '';
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const res = await fetch(`${base}/mock/agents/${AGENT}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const data = (await res.json()) as { agent: AgentSnapshot; errorCode?: string; exceptionInfo?: string };
      if (res.ok) return data.agent;
      last = `HTTP ${res.status} ${data.errorCode}: ${data.exceptionInfo}`;
      if (res.status < 500) break;
    } catch (e) {
      last = (e as Error).message;
    }
    agentRetries++;
    await sleep(50 * (attempt + 1));
  }
  throw new Error(`agent ${method} ${path || '/'} failed: ${last}`);
}

// ── the customer: the widget's runner, with its fetch counted ────────────────────────────────

interface Traffic {
  sendRequests: number;
  sendIds: Set<string>;
  pollRequests: number;
  networkErrors: number;
  injected503: number;
  otherErrors: number;
  afterDestroy: number;
}
const traffic: Traffic = { sendRequests: 0, sendIds: new Set(), pollRequests: 0, networkErrors: 0, injected503: 0, otherErrors: 0, afterDestroy: 0 };

function newRunner(generation: number): { runner: SessionRunner; destroy: () => void } {
  let destroyed = false;
  const countingFetch: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (destroyed) traffic.afterDestroy++;
    if (url.includes('/send') && init?.method === 'POST') {
      traffic.sendRequests++;
      const id = (JSON.parse(String(init.body)) as { clientMessageId?: string }).clientMessageId;
      if (id) traffic.sendIds.add(id);
    } else if (url.includes('/poll')) traffic.pollRequests++;
    let res: Response;
    try {
      res = await fetch(input, init);
    } catch (e) {
      if (!init?.signal?.aborted) traffic.networkErrors++;
      throw e;
    }
    if (res.status === 503) traffic.injected503++;
    else if (!res.ok) traffic.otherErrors++;
    return res;
  };
  const runner = new SessionRunner({
    baseUrl: base,
    channelId: 'demo',
    userId: USER,
    userName: USER,
    fetch: countingFetch,
    random: seededRandom(SEED * 1000 + generation),
    pollWaitSeconds: 2,
    maxSendAttempts: 50,
    clock: TIMER_SCALE === 1 ? undefined : { setTimeout: (fn, ms) => setTimeout(fn, ms * TIMER_SCALE), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
  });
  return {
    runner,
    destroy: () => {
      destroyed = true;
      runner.destroy();
    },
  };
}

const isCustomerText = (t: string) => /^c-\d+$/.test(t);
const isAgentText = (t: string) => /^a-\d+$/.test(t);
const own = (r: SessionRunner): TranscriptItem[] => r.state.transcript.filter((m) => m.author === 'customer' && isCustomerText(m.text));
const unacked = (r: SessionRunner) => r.state.transcript.filter((m) => m.author === 'customer' && m.status !== 'sent').length;
const submit = (r: SessionRunner, id: string, text: string) => r.dispatch({ type: 'message.submit', id, text, now: Date.now(), name: USER });

async function must(what: string, pred: () => boolean | Promise<boolean>, ms = left(), every = 20): Promise<void> {
  if (!(await waitFor(pred, Math.min(ms, left()), every))) throw new Error(`timed out waiting for ${what}`);
}

let failure: string | null = null;
let { runner, destroy } = newRunner(0);
/** Customer messages that must reach the agent: acknowledged before a reload, or written after. */
const expectedFromCustomer: string[] = [];
let lostAtReload: string[] = [];
let agentSent = 0;

try {
  await agent('POST', '/sign-in');
  await agent('POST', '/ready');
  runner.start();
  await must('the chatbot', () => runner.state.phase === 'bot', 30_000);
  submit(runner, `${USER}-transfer`, 'agent');
  let waiting: AgentSnapshot['waiting'][number] | undefined;
  await must('the customer in the queue', async () => (waiting = (await agent('GET', '')).waiting.find((w) => w.customerName === USER)) !== undefined, 30_000, 100);
  await agent('POST', '/accept', { sessionId: waiting!.sessionId });
  await must('the agent to join', () => runner.state.phase === 'agent', 30_000);

  for (let i = 0; i < M; i++) {
    if (i === RELOAD_AT) {
      const acked = new Set(
        own(runner)
          .filter((m) => m.status === 'sent')
          .map((m) => m.text),
      );
      lostAtReload = expectedFromCustomer.filter((t) => !acked.has(t));
      expectedFromCustomer.splice(0, expectedFromCustomer.length, ...expectedFromCustomer.filter((t) => acked.has(t)));
      destroy();
      ({ runner, destroy } = newRunner(1));
      runner.start();
      await must('the reloaded widget back with the agent', () => runner.state.phase === 'agent', 30_000);
    }
    const r = runner;
    await must(`room in the outbox for c-${i}`, () => unacked(r) < WINDOW, left(), 5);
    submit(r, `${USER}-c-${i}`, `c-${i}`);
    expectedFromCustomer.push(`c-${i}`);
    await agent('POST', '/send', { content: `a-${i}` });
    agentSent++;
    if ((i + 1) % Math.max(1, Math.round(M / 10)) === 0 && i + 1 < M) {
      console.log(`  … ${i + 1}/${M} written each way, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  }

  const want = new Set(expectedFromCustomer);
  await must(
    'every message on both sides',
    async () => {
      const fromAgent = new Set(runner.state.transcript.filter((m) => m.author === 'agent' && isAgentText(m.text)).map((m) => m.text));
      if (fromAgent.size < agentSent) return false;
      const seen = (await agent('GET', '')).session?.messages ?? [];
      const got = new Set(seen.filter((m) => m.sourceType === 'CUSTOMER').map((m) => m.content));
      return [...want].every((t) => got.has(t));
    },
    left(),
    200,
  );
} catch (e) {
  failure = (e as Error).message;
}

// ── report ─────────────────────────────────────────────────────────────────────────────────

const elapsed = (performance.now() - t0) / 1000;
let agentView: DownlinkMessage[] = [];
try {
  agentView = (await agent('GET', '')).session?.messages ?? [];
} catch (e) {
  failure ??= (e as Error).message;
}
cc.faults.reset();

interface Direction {
  name: string;
  sent: number;
  delivered: number;
  duplicated: number;
  lost: number;
  outOfOrder: number;
  extra: number;
}

/** Compares what arrived (in arrival order) with what was expected (in sending order). */
function compare(name: string, expected: string[], received: string[]): Direction {
  const index = new Map(expected.map((t, i) => [t, i]));
  const counts = new Map<string, number>();
  for (const t of received) counts.set(t, (counts.get(t) ?? 0) + 1);
  let duplicated = 0;
  for (const n of counts.values()) duplicated += n - 1;
  let outOfOrder = 0;
  let highest = -1;
  for (const t of new Set(received)) {
    const i = index.get(t);
    if (i === undefined) continue;
    if (i < highest) outOfOrder++;
    else highest = i;
  }
  const delivered = expected.filter((t) => counts.has(t)).length;
  const extra = [...counts.keys()].filter((t) => !index.has(t)).length;
  return { name, sent: expected.length, delivered, duplicated, lost: expected.length - delivered, outOfOrder, extra };
}

const customerToAgent = compare(
  'customer → agent',
  expectedFromCustomer,
  agentView.filter((m) => m.sourceType === 'CUSTOMER' && isCustomerText(m.content)).map((m) => m.content),
);
const agentToCustomer = compare(
  'agent → customer',
  Array.from({ length: agentSent }, (_, i) => `a-${i}`),
  runner.state.transcript.filter((m) => m.author === 'agent' && isAgentText(m.text)).map((m) => m.text),
);
const widgetOwn = own(runner);
const widgetDuplicates = widgetOwn.length - new Set(widgetOwn.map((m) => m.text)).size;
const widgetUnacked = widgetOwn.filter((m) => m.status !== 'sent').length;
const distinctSends = traffic.sendIds.size;

console.log(
  `Soak: ${M} messages each way, seed ${SEED}, faults on send and poll: ${FAULTS.dropRate * 100}% dropped (half after processing), ` +
    `${FAULTS.errorRate * 100}% 503, latency ${FAULTS.latencyMs}+0..${FAULTS.jitterMs} ms; real clock, ` +
    (TIMER_SCALE === 1 ? 'real timers' : `runner waits × ${TIMER_SCALE}`) +
    (RELOAD_AT !== null ? `; reload after ${RELOAD_AT} customer messages` : '') +
    '.\n',
);
console.log(
  table(
    ['direction', 'sent', 'delivered', 'duplicated', 'lost', 'out of order', 'extra'],
    [customerToAgent, agentToCustomer].map((d) => [d.name, d.sent, d.delivered, d.duplicated, d.lost, d.outOfOrder, d.extra]),
  ),
);
console.log('');
if (RELOAD_AT !== null) {
  console.log(
    `Reload after ${RELOAD_AT}: ${lostAtReload.length} message(s) not yet acknowledged were dropped with the old page (not expected; "extra" counts those that arrived anyway)` +
      `${lostAtReload.length ? `: ${lostAtReload.join(', ')}` : ''}; the old runner made ${traffic.afterDestroy} request(s) after destroy().`,
  );
}
console.log(
  `Widget transcript: ${widgetOwn.length} own messages shown, ${widgetDuplicates} shown twice, ${widgetUnacked} not acknowledged; ` +
    `${runner.state.transcript.length} items in all, phase ${runner.state.phase}.`,
);
console.log(
  `Customer requests: ${traffic.sendRequests} POST /send for ${distinctSends} messages (${traffic.sendRequests - distinctSends} resends), ` +
    `${traffic.pollRequests} polls; faults met: ${traffic.networkErrors} network errors, ${traffic.injected503} HTTP 503, ` +
    `${traffic.otherErrors} other errors. Agent call retries: ${agentRetries}.`,
);
const bad = [customerToAgent, agentToCustomer].some((d) => d.lost || d.duplicated || d.outOfOrder) || widgetDuplicates > 0;
if (failure) console.log(`FAILED: ${failure}`);
console.log(`${bad || failure ? 'FAIL' : 'OK'}: elapsed ${elapsed.toFixed(1)} s (timeout ${TIMEOUT_S} s).`);

destroy();
server.closeAllConnections();
server.close();
cc.clock.clear();
process.exit(bad || failure ? 1 : 0);
