/**
 * Redis stopped mid-chat (10 s on the test clock), then started again, under two connector
 * instances: the widget shows it is reconnecting, the connectors answer 503 with Retry-After,
 * and once Redis is back the chat goes on with nothing lost and nothing twice — the agent's
 * messages taken from the CEC's consume-once poll during the outage included.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRunner } from '../../../widget/client/runner.js';
import type { SessionState } from '../../../widget/core/session.js';
import { chainRunner, reachAgent, startMultiChain, until, type MultiChain } from './chain.js';
import { freshPrefix, useRedisServer } from './helpers.js';

// Redis's own persistence (an append-only file) is what keeps the data over a stop and start.
const server = useRedisServer({ persist: true });
let chain: MultiChain | null = null;
const runners: SessionRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) r.destroy();
  await chain?.close();
  chain = null;
});

const agentTexts = (s: SessionState) => s.transcript.filter((m) => m.author === 'agent' && !m.event).map((m) => m.text);

/** Extra real time Redis stays down (ms), from REDIS_OUTAGE_REAL_MS; 0 by default. */
const OUTAGE_REAL_MS = Number(process.env.REDIS_OUTAGE_REAL_MS ?? 0) || 0;

describe('Redis outage mid-chat', () => {
  it('stopped for 10 s, then started: the chat resumes, nothing lost, nothing twice', async () => {
    const c = (chain = startMultiChain(2, server().url, freshPrefix()));
    const { cc, clock } = c;
    const userId = 'outage-1';
    const atCec = () =>
      cc
        .findStream('demo', userId)
        ?.messages.filter((m) => m.sourceType === 'CUSTOMER' && m.content.startsWith('c-'))
        .map((m) => m.content) ?? [];
    const r = chainRunner(c.browserFetch, userId, { maxSendAttempts: 100_000 });
    runners.push(r);
    await reachAgent(cc, r, userId);
    for (let i = 0; i < 5; i++) {
      r.dispatch({ type: 'message.submit', id: r.newId(), text: `c-${i}`, now: r.now(), name: userId });
      cc.desk.send('alice', `a-${i}`);
    }
    await until('before the outage', () => atCec().length === 5 && agentTexts(r.state).length === 5);

    const downAt = performance.now();
    await server().stop();
    const failuresBefore = c.logs.filter((l) => l.event === 'request.failed').length;
    // While Redis is down: the agent writes (the connectors' held upstream poll takes these from
    // the CEC, which forgets them) and the customer writes.
    for (let i = 5; i < 10; i++) {
      cc.desk.send('alice', `a-${i}`);
      r.dispatch({ type: 'message.submit', id: r.newId(), text: `c-${i}`, now: r.now(), name: userId });
    }
    await until('the widget sees the trouble', () => r.state.connection === 'reconnecting');
    await until('the connectors answer 503 meanwhile', () => c.logs.filter((l) => l.event === 'request.failed').length > failuresBefore + 3);
    clock.advance(10_000);
    // The outage lasts 10 s on the test clock; REDIS_OUTAGE_REAL_MS=10000 also keeps Redis down for
    // 10 real seconds (for the evidence run; the default run does not sleep).
    if (OUTAGE_REAL_MS > 0) await new Promise((resolve) => setTimeout(resolve, OUTAGE_REAL_MS));
    await server().start();
    if (OUTAGE_REAL_MS > 0) console.log(`Redis was down for ${Math.round(performance.now() - downAt)} ms of real time`);

    await until('every customer message at the CEC', () => atCec().length === 10, 60_000);
    await until('every agent message in the widget', () => agentTexts(r.state).length === 10, 60_000).catch((e) => {
      console.log(JSON.stringify({ agent: agentTexts(r.state), logs: c.logs.filter((l) => !l.upstream).slice(-15) }));
      throw e;
    });
    await until('online again', () => r.state.connection === 'online', 60_000);
    // The CEC may have a message before its send's answer reaches the widget: wait for the answers too.
    const customerStatuses = () => r.state.transcript.filter((m) => m.author === 'customer' && m.text.startsWith('c-')).map((m) => [m.text, m.status]);
    await until('every customer message acknowledged', () => customerStatuses().length === 10 && customerStatuses().every(([, st]) => st === 'sent'), 60_000);
    const expected = (p: string) => Array.from({ length: 10 }, (_, i) => `${p}-${i}`);
    expect(atCec()).toEqual(expected('c'));
    expect(agentTexts(r.state)).toEqual(expected('a'));
    expect(customerStatuses()).toEqual(expected('c').map((t) => [t, 'sent']));
  }, 120_000);
});
