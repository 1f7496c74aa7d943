/**
 * The agent API's answers stay small and its lookups stay right while the queue changes: an
 * agent's snapshot lists the first AGENT_WAITING_SHOWN waiting customers and counts them all in
 * `waitingTotal` (`?waiting=` asks for more), queue positions are an index kept on join and
 * leave, agents are found by account in each new configuration, and a request's URL is parsed
 * once. Through the MSW handlers (`getResponse`, no network) on a manual clock.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { PlainRequest, urlOf } from '../../mock-server/handlers/plain.js';
import { AGENT_WAITING_SHOWN } from '../../mock-server/runtime/agents.js';
import type { Clock } from '../../mock-server/runtime/clock.js';
import type { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { customerSend, type SendRequest } from '../../mock-server/runtime/customer-send.js';
import { mockHarness, type MockHarness } from './harness.js';

let clock: Clock;
let cc: ContactCenter;
let call: MockHarness['call'];

beforeEach(() => {
  ({ clock, cc, call } = mockHarness({
    edit: (t) => {
      for (const q of t.skillQueues) q.maxCallsInQueue = 100;
    },
  }));
});

/** `n` customers of the demo channel asking for an agent (queued on WebSupport, in this order). */
async function queueCustomers(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const userId = `w${i}`;
    const token = (await call('POST', '/apiaccess/ccmessaging/applyToken', { channelId: 'demo', userId, userName: userId })).body.token as string;
    const send = (controlType: SendRequest['controlType']) =>
      call('POST', '/apiaccess/ccmessaging/send', customerSend({ userId, controlType, timestamp: clock.now(), clientMessageId: `${userId}-${controlType}` }), { 'ccmessaging-token': token });
    expect((await send('CONNECT')).status).toBe(200);
    expect((await send('TRANS2AGENT')).status).toBe(200);
    ids.push(userId);
    clock.advance(1000);
  }
  return ids;
}

type Waiting = Array<{ sessionId: string; customerName: string; position: number; queueName: string }>;

describe('agent snapshot: the waiting list is capped and counted', () => {
  it(`GET /mock/agents/:a lists the first ${AGENT_WAITING_SHOWN} of 25 waiting, longest-waiting first, with waitingTotal 25`, async () => {
    cc.desk.signIn('alice');
    const users = await queueCustomers(25);
    const { status, body } = await call('GET', '/mock/agents/alice');
    expect(status).toBe(200);
    const waiting = body.agent.waiting as Waiting;
    expect(body.agent.waitingTotal).toBe(25);
    expect(waiting.map((w) => w.customerName)).toEqual(users.slice(0, AGENT_WAITING_SHOWN));
    expect(waiting.map((w) => w.position)).toEqual(Array.from({ length: AGENT_WAITING_SHOWN }, (_, i) => i + 1));
  });

  it('?waiting= asks for more or fewer (0 … 500); another value is a 400 naming the field', async () => {
    cc.desk.signIn('alice');
    await queueCustomers(12);
    expect((await call('GET', '/mock/agents/alice?waiting=12')).body.agent.waiting).toHaveLength(12);
    const none = (await call('GET', '/mock/agents/alice?waiting=0')).body.agent;
    expect([none.waiting.length, none.waitingTotal]).toEqual([0, 12]);
    const bad = await call('GET', '/mock/agents/alice?waiting=501');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('waiting');
    const list = await call('GET', '/mock/agents?waiting=3');
    const alice = (list.body.agents as Array<{ account: string; waiting: Waiting; waitingTotal: number }>).find((a) => a.account === 'alice')!;
    expect([alice.waiting.length, alice.waitingTotal]).toEqual([3, 12]);
  });

  it("an action's answer (accept) lists the shown part too; the in-process snapshot still lists everyone", async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    await queueCustomers(15);
    const accepted = await call('POST', '/mock/agents/alice/accept', {});
    expect(accepted.status).toBe(200);
    expect(accepted.body.agent.session.userId).toBe('w0');
    expect(accepted.body.agent.waiting).toHaveLength(AGENT_WAITING_SHOWN);
    expect(accepted.body.agent.waitingTotal).toBe(14);
    expect(cc.desk.snapshot('alice').waiting).toHaveLength(14);
  });
});

describe('queue positions (an index kept on join and leave)', () => {
  it('customers behind one who leaves move up one place; those ahead keep theirs', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    await queueCustomers(6);
    const before = cc.desk.snapshot('alice').waiting;
    // alice takes the third customer by name: the others' places close up.
    cc.desk.accept('alice', before[2]!.sessionId);
    const after = cc.desk.snapshot('alice').waiting;
    expect(after.map((w) => [w.customerName, w.position])).toEqual([
      ['w0', 1],
      ['w1', 2],
      ['w3', 3],
      ['w4', 4],
      ['w5', 5],
    ]);
    for (const w of after) expect(cc.position(cc.sessionById(w.sessionId)!)).toBe(w.position);
    expect(cc.position(cc.sessionById(before[2]!.sessionId)!)).toBe(0);
    // A new customer joins at the end.
    await queueCustomers(1);
    expect(cc.waiting('WebSupport').map((s) => cc.position(s))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('agent lookup by account', () => {
  it('follows a configuration change: a renamed agent answers with the new name, a removed one is a 404', async () => {
    cc.desk.signIn('alice');
    expect(cc.desk.snapshot('alice').name).toBe('Alice');
    cc.store.update('agents', 'alice', { name: 'Alicia' });
    expect(cc.desk.snapshot('alice').name).toBe('Alicia');
    const unknown = await call('GET', '/mock/agents/nobody');
    expect([unknown.status, unknown.body.errorCode, unknown.body.field]).toEqual([404, 'agent.notFound', 'account']);
  });
});

describe('urlOf', () => {
  it('parses a request URL once: the same URL object for the same request, another for another request', () => {
    const a = new PlainRequest('http://mock.test/mock/agents/alice?version=3', 'GET', {}, undefined);
    const b = new PlainRequest('http://mock.test/mock/agents/bob', 'GET', {}, undefined);
    expect(urlOf(a)).toBe(urlOf(a));
    expect(urlOf(a).searchParams.get('version')).toBe('3');
    expect(urlOf(b)).not.toBe(urlOf(a));
    expect(urlOf(b).pathname).toBe('/mock/agents/bob');
  });
});
