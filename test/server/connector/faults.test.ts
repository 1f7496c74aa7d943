/**
 * Proof under faults on both hops: between the widget's runner and the connector, 20% of requests
 * dropped (half before the connector sees them, half after it answered) and 10% answered 503;
 * between the connector and the real-CEC face, the face's own fault injection (20% dropped — half
 * of them after the CEC processed the call — and 10% 503) on every route except `poll`, which gets
 * the 503s and latency only: the real poll is consume-once, so an answer lost after the CEC handed
 * it over is lost for any client (cec-real-api.md §1.3), and no test can make that otherwise.
 * 1,000 messages each way: 0 lost, 0 duplicated, in order, on both sides.
 *
 * Then an upstream outage mid-chat: the face answers 503 to everything, then hangs (the
 * connector's upstream timeout cuts each attempt), then recovers; nothing is lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../mock-server/runtime/faults.js';
import { SessionRunner } from '../../../widget/client/runner.js';
import type { SessionState } from '../../../widget/core/session.js';
import { fastRunner, memoryStorage } from '../../client/helpers.js';
import { CONNECTOR_ORIGIN, startChain, until, type Chain } from './helpers.js';

const N = Number(process.env.CONNECTOR_SOAK_MESSAGES ?? 1000);
let chain: Chain | null = null;
const runners: SessionRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) r.destroy();
  chain?.cc.faults.reset();
  await chain?.close();
  chain = null;
});

/** The browser ↔ connector hop, with injected faults; counts what happened. */
function faultyHop(c: Chain, seed: number, on: () => boolean) {
  const random = seededRandom(seed);
  const stats = { requests: 0, droppedBefore: 0, droppedAfter: 0, errors: 0 };
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    stats.requests++;
    const r = random();
    if (on() && r < 0.1) {
      stats.droppedBefore++;
      throw new TypeError('dropped before the connector');
    }
    if (on() && r < 0.2) {
      await c.connector(new Request(input, init));
      stats.droppedAfter++;
      throw new TypeError('dropped after the connector answered');
    }
    if (on() && r < 0.3) {
      stats.errors++;
      return new Response(JSON.stringify({ errorCode: 'proxy.error', exceptionInfo: 'injected' }), { status: 503, headers: { 'content-type': 'application/json' } });
    }
    return c.connector(new Request(input, init));
  }) as typeof fetch;
  return { fetchFn, stats };
}

const UPSTREAM_ROUTES = ['tokenByAkSk', 'applyToken', 'send', 'queryQueueInfo', 'queryHistoryChatMessage', 'getsatisfactionsurveymode'];

function upstreamFaults(c: Chain, seed: number): void {
  c.cc.faults.seed(seededRandom(seed));
  for (const route of UPSTREAM_ROUTES) c.cc.faults.set({ dropRate: 0.2, errorRate: 0.1, latencyMs: 0, jitterMs: 2 }, route);
  c.cc.faults.set({ dropRate: 0, errorRate: 0.1, latencyMs: 0, jitterMs: 2 }, 'poll');
}

const agentTexts = (s: SessionState) => s.transcript.filter((m) => m.author === 'agent').map((m) => m.text);
const expected = (prefix: string, n = N) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

async function chatWithAlice(c: Chain, fetchFn: typeof fetch, userId: string) {
  c.cc.desk.signIn('alice');
  c.cc.desk.setReady('alice', true);
  const r = new SessionRunner({
    baseUrl: CONNECTOR_ORIGIN,
    channelId: 'demo',
    userId,
    userName: userId,
    storage: memoryStorage(),
    ...fastRunner,
    random: seededRandom(7),
    pollWaitSeconds: 25,
    maxSendAttempts: 10_000,
    fetch: fetchFn,
  });
  runners.push(r);
  r.start();
  await until('bot', () => r.state.phase === 'bot', 30_000);
  r.dispatch({ type: 'transfer.request' });
  await until('queued', () => c.cc.desk.snapshot('alice').waiting.some((w) => w.customerName === userId), 30_000);
  c.cc.desk.accept('alice', c.cc.desk.snapshot('alice').waiting.find((w) => w.customerName === userId)!.sessionId);
  await until('agent', () => r.state.phase === 'agent', 30_000);
  return r;
}

const atDesk = (c: Chain) =>
  c.cc.desk
    .snapshot('alice')
    .session!.messages.filter((m) => m.sourceType === 'CUSTOMER' && m.controlType === 'CHAT')
    .map((m) => m.content);

describe('connector under faults on both hops', () => {
  it(`${N} messages each way: 0 lost, 0 duplicated, in order`, { timeout: 600_000 }, async () => {
    // The mock's drops happen before or after the CEC processed a call, never later: no grace needed.
    const c = (chain = startChain({ upstream: { attempts: 6, timeoutMs: 5000, unknownSendGraceMs: 0 } }));
    let faultsOn = false;
    const hop = faultyHop(c, 42, () => faultsOn);
    const r = await chatWithAlice(c, hop.fetchFn, 'soak-1');
    faultsOn = true;
    upstreamFaults(c, 4242);
    const started = Date.now();
    for (let i = 0; i < N; i++) {
      r.dispatch({ type: 'message.submit', id: `c-${i}-${r.newId()}`, text: `c-${i}`, now: r.now(), name: 'soak-1' });
      c.cc.desk.send('alice', `a-${i}`);
      if (i % 50 === 49) await new Promise((res) => setTimeout(res, 0));
    }
    await until('all agent messages shown', () => agentTexts(r.state).length >= N, 480_000);
    try {
      await until('all customer messages at the desk', () => atDesk(c).length >= N && r.state.transcript.every((m) => m.author !== 'customer' || m.status === 'sent'), 480_000);
    } catch (e) {
      const statuses: Record<string, number> = {};
      for (const m of r.state.transcript) if (m.author === 'customer') statuses[m.status ?? '?'] = (statuses[m.status ?? '?'] ?? 0) + 1;
      const failures: Record<string, number> = {};
      for (const l of c.logs)
        if (l.event === 'request.failed') failures[`${l.route} ${l.kind ?? l.reason} ${l.resultCode ?? ''}`] = (failures[`${l.route} ${l.kind ?? l.reason} ${l.resultCode ?? ''}`] ?? 0) + 1;
      console.log('desk', atDesk(c).length, 'statuses', statuses, 'failures', failures, 'phase', r.state.phase);
      throw e;
    }
    const seconds = (Date.now() - started) / 1000;
    const sendsUpstream = c.logs.filter((l) => l.upstream === 'send').length;
    const unknown = c.logs.filter((l) => l.upstream === 'send' && l.outcome !== 'ok').length;
    console.log(
      `faults soak: ${N} each way in ${seconds.toFixed(1)} s; browser hop ${hop.stats.requests} requests, ${hop.stats.droppedBefore} dropped before, ${hop.stats.droppedAfter} after, ${hop.stats.errors} 503; ` +
        `upstream: ${sendsUpstream} send attempts, ${unknown} failed or unknown, ${c.logs.filter((l) => l.upstream === 'queryHistoryChatMessage').length} history look-ups`,
    );
    expect(agentTexts(r.state)).toEqual(expected('a'));
    expect(atDesk(c)).toEqual(expected('c'));
    const customerInWidget = r.state.transcript.filter((m) => m.author === 'customer').map((m) => m.text);
    expect(customerInWidget).toEqual(expected('c'));
    const seqs = r.state.transcript.map((m) => m.seq).filter((s): s is number => s !== null);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(hop.stats.droppedBefore + hop.stats.droppedAfter + hop.stats.errors).toBeGreaterThan(N / 10);
  });

  it('an upstream outage mid-chat (5xx, then a 30 s hang whose requests arrive late): the widget reconnects, nothing is lost or doubled', { timeout: 120_000 }, async () => {
    // The hang: upstream requests get no answer (the connector's 300 ms timeout cuts them) and,
    // like packets stuck in a network, reach the CEC only when the hang ends 30 s later (on the
    // connector's injected clock). Held polls are dropped instead: a consume-once answer nobody
    // reads would be lost for any client.
    let hanging = false;
    let skew = 0;
    const late: Array<() => Promise<unknown>> = [];
    const upstreamFetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      if (!hanging) return fetch(input, init);
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          reject(new DOMException('The operation was aborted.', 'AbortError'));
          if (!String(input).includes('/poll')) late.push(() => fetch(input, { ...init, signal: undefined }).catch(() => {}));
        });
      });
    }) as typeof fetch;
    const c = (chain = startChain({
      upstream: { attempts: 3, timeoutMs: 300, pollTimeoutMs: 1000, unknownSendGraceMs: 60_000 },
      connector: { fetch: upstreamFetch, now: () => Date.now() + skew },
    }));
    const r = await chatWithAlice(c, c.browserFetch, 'outage-1');
    r.dispatch({ type: 'message.submit', id: r.newId(), text: 'before', now: r.now(), name: 'x' });
    await until('before at the desk', () => atDesk(c).includes('before'));
    // 1) Every upstream call answers 503.
    for (const route of [...UPSTREAM_ROUTES, 'poll']) c.cc.faults.set({ errorRate: 1 }, route);
    r.dispatch({ type: 'message.submit', id: r.newId(), text: 'during 5xx', now: r.now(), name: 'x' });
    c.cc.desk.send('alice', 'agent during 5xx');
    await until('reconnecting shown', () => r.state.connection === 'reconnecting');
    // 2) Then the CEC hangs.
    c.cc.faults.reset();
    hanging = true;
    r.dispatch({ type: 'message.submit', id: r.newId(), text: 'during hang', now: r.now(), name: 'x' });
    await until('a send cut by the timeout', () => c.logs.some((l) => l.upstream === 'send' && l.outcome === 'timeout'), 20_000);
    await until('the widget is told to wait', () => r.state.connection === 'reconnecting');
    // 3) 30 s later the hang ends: what was stuck arrives at the CEC first, then traffic flows.
    skew += 30_000;
    hanging = false;
    await Promise.all(late.splice(0).map((f) => f()));
    c.cc.desk.send('alice', 'agent after');
    r.dispatch({ type: 'message.submit', id: r.newId(), text: 'after', now: r.now(), name: 'x' });
    const all = ['before', 'during 5xx', 'during hang', 'after'];
    await until('all customer messages at the desk', () => all.every((t) => atDesk(c).includes(t)) && r.state.transcript.every((m) => m.author !== 'customer' || m.status === 'sent'), 60_000);
    await until('agent messages shown', () => agentTexts(r.state).includes('agent after'), 60_000);
    expect(atDesk(c)).toEqual(all);
    expect(r.state.transcript.filter((m) => m.author === 'customer').map((m) => m.text)).toEqual(all);
    expect(agentTexts(r.state)).toEqual(['agent during 5xx', 'agent after']);
    await until('online again', () => r.state.connection === 'online', 30_000);
    expect(r.state.phase).toBe('agent');
  });
});
