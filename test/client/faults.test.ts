/**
 * Proof under faults: with 20% of requests dropped (half of them after the server processed
 * them), 10% answered with a 5xx and random latency, a conversation of 1,000 messages each way
 * ends with every message delivered exactly once and in order, on both sides — straight, with
 * a reload in the middle, and with two tabs of the same customer (each tab's own messages in
 * order; both tabs showing the same transcript as the server).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SessionRunner } from '../../widget/client/runner.js';
import type { SessionState } from '../../widget/core/session.js';
import { seededRandom } from '../../mock-server/runtime/faults.js';
import { fastRunner, memoryStorage } from './helpers.js';
import { useNodeMock } from '../node-mock.js';
import { until, untilProgressing } from '../wait.js';

const N = 1000;
const { cc, clock } = useNodeMock({ at: Date.parse('2026-11-25T06:00:00Z') });
const runners: SessionRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.destroy();
  cc.faults.reset();
});

function customer(userId: string, storage: ReturnType<typeof memoryStorage>, seed: number) {
  const sends = { count: 0 };
  const r = new SessionRunner({
    baseUrl: 'http://mock.test',
    channelId: 'demo',
    userId,
    userName: userId,
    storage,
    ...fastRunner,
    random: seededRandom(seed),
    pollWaitSeconds: 25,
    maxSendAttempts: 1000,
    fetch: (input, init) => {
      if (String(input).includes('/send')) sends.count++;
      return fetch(input, init);
    },
  });
  runners.push(r);
  return { r, sends };
}

/** The agent's chat messages (not the end-of-chat notice, which also comes from the agent). */
const agentTexts = (s: SessionState) => s.transcript.filter((m) => m.author === 'agent' && !m.event).map((m) => m.text);
const customerTextsOnServer = (userId: string) =>
  cc
    .findStream('demo', userId)!
    .messages.filter((m) => m.sourceType === 'CUSTOMER')
    .map((m) => m.content);
const expected = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}-${i}`);

async function connectToAgent(r: SessionRunner, userId: string): Promise<void> {
  r.start();
  await until('bot', () => r.state.phase === 'bot');
  r.dispatch({ type: 'transfer.request' });
  await until('queued', () => cc.desk.snapshot('alice').waiting.some((w) => w.customerName === userId));
  cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.find((w) => w.customerName === userId)!.sessionId);
  await until('agent', () => r.state.phase === 'agent');
}

function injectFaults(seed: number): void {
  cc.faults.seed(seededRandom(seed));
  for (const route of ['send', 'poll', 'queryHistoryChatMessage', 'queryChannelConfig', 'applyToken']) {
    cc.faults.set({ dropRate: 0.2, errorRate: 0.1, latencyMs: 0, jitterMs: 3 }, route);
  }
}

/**
 * After a reload the widget holds the newest history page only (issue 18): the reader scrolling
 * up asks for the earlier ones. Asks for the next one whenever none is on its way (a failed one
 * again), so a wait on the whole transcript also pages it in.
 */
function readBack(r: SessionRunner): SessionState {
  const e = r.state.earlier;
  if (e.hasMore && e.status !== 'loading') r.dispatch({ type: 'history.earlier' });
  return r.state;
}

async function converse(userId: string, reloadAt: number | null, tabs: 1 | 2) {
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  const storage = memoryStorage();
  let { r, sends } = customer(userId, storage, 1);
  await connectToAgent(r, userId);
  const second = tabs === 2 ? customer(userId, storage, 2) : null;
  if (second) {
    second.r.start();
    await until('second tab', () => second.r.state.phase === 'agent');
  }
  injectFaults(42);
  let resends = 0;
  for (let i = 0; i < N; i++) {
    if (i === reloadAt) {
      resends += sends.count;
      r.destroy();
      ({ r, sends } = customer(userId, storage, 3));
      r.start();
    }
    const writer = second && i % 2 === 1 ? second.r : r;
    await until('writable', () => writer.state.phase === 'agent');
    writer.dispatch({ type: 'message.submit', id: `${userId}-c-${i}`, text: `c-${i}`, now: clock.now(), name: userId });
    cc.desk.send('alice', `a-${i}`);
  }
  await untilProgressing(
    'every customer message on the server',
    () => customerTextsOnServer(userId).length >= N,
    () => customerTextsOnServer(userId).length,
  );
  await untilProgressing(
    'every agent message in the widget',
    () => agentTexts(readBack(r)).length >= N,
    () => agentTexts(r.state).length,
  );
  const acknowledged = (st: SessionState) => st.transcript.filter((m) => m.author === 'customer' && m.status === 'sent').length >= N;
  const acknowledgedCount = (st: SessionState) => st.transcript.filter((m) => m.author === 'customer' && m.status === 'sent').length;
  await untilProgressing(
    'every customer message acknowledged in the widget',
    () => (acknowledged(readBack(r)) && !r.state.earlier.hasMore) || !!second,
    () => acknowledgedCount(r.state),
  );
  if (second)
    await untilProgressing(
      'every agent message in the second tab',
      () => agentTexts(second.r.state).length >= N,
      () => agentTexts(second.r.state).length,
    );
  cc.faults.reset();
  cc.desk.end('alice');
  clock.advance(10_000);
  return { r, second: second?.r, sendRequests: resends + sends.count + (second?.sends.count ?? 0) };
}

describe(`${N} messages each way under 20% drops, 10% server errors and latency`, () => {
  it('straight: exactly once, in order, on both sides', async () => {
    const { r, sendRequests } = await converse('soak-1', null, 1);
    expect(customerTextsOnServer('soak-1')).toEqual(expected('c'));
    expect(agentTexts(r.state)).toEqual(expected('a'));
    expect(r.state.transcript.filter((m) => m.author === 'customer').every((m) => m.status === 'sent')).toBe(true);
    expect(sendRequests).toBeGreaterThan(N); // faults forced resends…
    console.log(`straight: ${N} + ${N} delivered, ${sendRequests - N - 2} send retries`);
  }, 600_000); // a ceiling only: `untilProgressing` fails as soon as delivery stops moving for 30 s

  it('with a reload in the middle: the new page shows everything once and sends what was pending', async () => {
    const { r } = await converse('soak-2', N / 2, 1);
    expect(customerTextsOnServer('soak-2')).toEqual(expected('c'));
    expect(agentTexts(r.state)).toEqual(expected('a'));
    const mine = r.state.transcript.filter((m) => m.author === 'customer').map((m) => m.text);
    expect(mine).toEqual(expected('c'));
  }, 600_000); // a ceiling only: `untilProgressing` fails as soon as delivery stops moving for 30 s

  it('with two tabs writing alternately: every message once, each tab in its own order, both tabs showing the server order', async () => {
    const { r, second } = await converse('soak-3', null, 2);
    // Two tabs send independently (like two devices), so their messages interleave in the
    // order they reach the server; each tab's own messages keep their order.
    const onServer = customerTextsOnServer('soak-3');
    expect([...onServer].sort()).toEqual(expected('c').sort());
    const index = (t: string) => Number(t.slice(2));
    for (const parity of [0, 1]) {
      const own = onServer.filter((t) => index(t) % 2 === parity).map(index);
      expect(own).toEqual([...own].sort((a, b) => a - b));
    }
    for (const tab of [r, second!]) {
      await untilProgressing(
        'echoes',
        () => tab.state.transcript.filter((m) => m.author === 'customer').length >= N,
        () => tab.state.transcript.length,
      );
      expect(agentTexts(tab.state)).toEqual(expected('a'));
      expect(tab.state.transcript.filter((m) => m.author === 'customer').map((m) => m.text)).toEqual(onServer);
    }
  }, 600_000); // a ceiling only: `untilProgressing` fails as soon as delivery stops moving for 30 s
});
