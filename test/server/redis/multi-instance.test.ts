/**
 * Several connector instances on one Redis behind a round-robin load balancer (every request may
 * reach another instance), the widget's own runner in front, the mock's real-CEC face behind:
 * 1,000 messages each way under faults on both hops arrive exactly once and in order, on both
 * sides, and each customer message answered at once by the agent (inside the CEC's /send) comes
 * before its answer. Browser ↔ connectors: 20% of requests dropped (half after an instance served them) and
 * 10% answered 502/503/504. Connectors ↔ CEC: the same faults as the single-instance soak (20%
 * dropped, half after the CEC processed the call, and 10% 503, on every route but the
 * consume-once poll, which gets the 503s). `SOAK_MESSAGES` changes the 1,000.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRunner } from '../../../widget/client/runner.js';
import type { SessionState } from '../../../widget/core/session.js';
import { seededRandom } from '../../../mock-server/runtime/faults.js';
import { chainRunner, reachAgent, startMultiChain, until, type MultiChain } from './chain.js';
import { freshPrefix, useRedisServer } from './helpers.js';

const N = Number(process.env.SOAK_MESSAGES ?? 1000);
const server = useRedisServer();
let chain: MultiChain | null = null;
const runners: SessionRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) r.destroy();
  await chain?.close();
  chain = null;
});

function customer(c: MultiChain, userId: string, seed: number) {
  const r = chainRunner(c.browserFetch, userId, { random: seededRandom(seed), maxSendAttempts: 1000 });
  runners.push(r);
  return r;
}

const agentTexts = (s: SessionState) => s.transcript.filter((m) => m.author === 'agent' && !m.event && m.text.startsWith('a-')).map((m) => m.text);

/**
 * Makes the agent answer every customer message `c-i` with `re:c-i` INSIDE the CEC's /send, before
 * the connector hears that the send went through: the answer may be taken by an upstream poll
 * loop (on any instance) while the send is still under way. The question must still come first.
 */
function answerAtOnce(c: MultiChain): void {
  const send = c.cc.send.bind(c.cc);
  c.cc.send = (id, req) => {
    const res = send(id, req);
    if (req.controlType === 'CHAT' && /^c-\d+$/.test(req.content) && res.resultCode === '0') c.cc.desk.send('alice', `re:${req.content}`);
    return res;
  };
}

/** For every pair: the question's seq, the answer's seq (in the widget's transcript, the server's order). */
function pairs(s: SessionState): Array<{ q: number; a: number; text: string }> {
  const seqOf = new Map<string, number>();
  for (const m of s.transcript) if (typeof m.seq === 'number' && m.seq > 0 && !seqOf.has(m.text)) seqOf.set(m.text, m.seq);
  return Array.from({ length: N }, (_, i) => ({ q: seqOf.get(`c-${i}`) ?? -1, a: seqOf.get(`re:c-${i}`) ?? -1, text: `c-${i}` }));
}
const expected = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}-${i}`);

async function soak(instances: number, userId: string) {
  const c = (chain = startMultiChain(instances, server().url, freshPrefix(), { seed: 40 + instances }));
  const { cc } = c;
  const customerTextsAtCec = () =>
    cc
      .findStream('demo', userId)
      ?.messages.filter((m) => m.sourceType === 'CUSTOMER')
      .map((m) => m.content) ?? [];
  const r = customer(c, userId, instances);
  await reachAgent(cc, r, userId);
  answerAtOnce(c);

  Object.assign(c.browserFaults, { dropBefore: 0.1, dropAfter: 0.1, error: 0.1 });
  c.upstreamFaults(true);
  for (let i = 0; i < N; i++) {
    r.dispatch({ type: 'message.submit', id: `${userId}-c-${i}`, text: `c-${i}`, now: r.now(), name: userId });
    cc.desk.send('alice', `a-${i}`);
    if (i % 50 === 49) {
      try {
        await until(`customer message ${i} at the CEC`, () => customerTextsAtCec().length >= i - 40, 60_000);
      } catch (e) {
        // What the widget and the instances were doing when it stalled.
        console.log(
          JSON.stringify(
            {
              phase: r.state.phase,
              conn: r.state.connection,
              statuses: r.state.transcript.filter((m) => m.author === 'customer').map((m) => m.status),
              atCec: customerTextsAtCec().length,
              logs: c.logs.filter((l) => l.event !== 'upstream').slice(-30),
            },
            null,
            0,
          ),
        );
        throw e;
      }
    }
  }
  await until('every customer message at the CEC', () => customerTextsAtCec().filter((t) => t.startsWith('c-')).length >= N, 120_000);
  await until('every agent message in the widget', () => agentTexts(r.state).length >= N, 120_000);
  await until('every answer in the widget', () => pairs(r.state).every((p) => p.a > 0), 120_000);
  await until('every customer message acknowledged', () => r.state.transcript.filter((m) => m.author === 'customer' && m.status === 'sent').length >= N + 1, 120_000);
  Object.assign(c.browserFaults, { dropBefore: 0, dropAfter: 0, error: 0 });
  c.upstreamFaults(false);
  return { c, r, atCec: customerTextsAtCec().filter((t) => t.startsWith('c-')) };
}

describe(`${N} messages each way through several connector instances on one Redis, 20% dropped and 10% 5xx on both hops`, () => {
  for (const instances of [2, 3]) {
    it(`${instances} instances: exactly once, in order, on both sides; every instance served`, async () => {
      const { c, r, atCec } = await soak(instances, `multi-${instances}`);
      expect(atCec).toEqual(expected('c'));
      expect(agentTexts(r.state)).toEqual(expected('a'));
      // In order across directions: each question comes before the answer given to it.
      const inverted = pairs(r.state).filter((p) => !(p.q > 0 && p.q < p.a));
      expect(inverted).toEqual([]);
      const seqs = r.state.transcript.map((m) => m.seq).filter((s): s is number => typeof s === 'number' && s > 0);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(c.served.every((n) => n > N / (instances * 4))).toBe(true);
      const calls: Record<string, number> = {};
      for (const l of c.logs) if (l.upstream) calls[`${l.upstream}:${l.outcome}`] = (calls[`${l.upstream}:${l.outcome}`] ?? 0) + 1;
      console.log(`${instances} instances: ${N} + ${N} delivered; requests served per instance ${c.served.join(' / ')}; upstream ${JSON.stringify(calls)}`);
      // A stall fails within a minute (every 50 messages must reach the CEC within 60 s, and each
      // final step within 2 min); the whole run only has to end, however busy the machine: a
      // loaded CI runner takes 270–290 s for what a quiet one does in about 95.
    }, 1_200_000);
  }
});
