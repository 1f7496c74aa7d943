/**
 * The customer's read receipt on the mock (requirements §6 "read state", customer → agent):
 * `send` takes `controlType: READ` with the seq of the latest agent message read as `content`,
 * records it on the session, and the agent's view says which message was seen. The real-CEC
 * face's READ (no content: "read what I was given") reaches the same record.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useNodeMock } from '../node-mock.js';
import { CecCustomer, request } from './cec/wire.js';
import { chatWithAgent, contractCustomer, mockHarness, type MockHarness } from './harness.js';

type Downlink = Array<{ seq: number; controlType: string; sourceType: string; data?: { readSeq?: number } }>;

// Our contract through the handlers (no network), a fresh contact center per test.
let h: MockHarness;

/** A customer whose `poll` answers the messages and `history` the history's messages. */
async function customer(userId: string) {
  const c = await contractCustomer(h, userId);
  const poll = async (cursor = 0) => (await c.poll(cursor)).body.downlinkMessages as Downlink;
  const history = async () => (await c.history()).body.messages as Array<{ controlType: string }>;
  return { send: c.send, poll, history };
}

/** A customer in a chat with alice, who has written two messages; returns their seqs. */
async function chatting(userId: string) {
  const { cc } = h;
  const c = await customer(userId);
  await chatWithAgent(h, c);
  const first = cc.desk.send('alice', 'Hello').session!.messages.at(-1)!.seq;
  const second = cc.desk.send('alice', 'How can I help?').session!.messages.at(-1)!.seq;
  const seen = () => cc.desk.snapshot('alice').session!.customerReadSeq;
  return { ...c, first, second, seen };
}

describe('the customer READ on our contract', () => {
  beforeEach(() => {
    h = mockHarness();
  });

  it('records the latest agent message read; the agent view shows it; older or repeated READs change nothing', async () => {
    const c = await chatting('reader-1');
    expect(c.seen()).toBe(0);
    const version = h.cc.desk.snapshot('alice').version;
    expect((await c.send('READ', String(c.first))).status).toBe(200);
    expect(c.seen()).toBe(c.first);
    expect(h.cc.desk.snapshot('alice').version).toBeGreaterThan(version); // a long-polling workbench wakes
    // A seq past the agent's messages (the customer's own echo, say) means the latest at or below it.
    await c.send('READ', String(c.second + 5));
    expect(c.seen()).toBe(c.second);
    const echoes = () => h.cc.findStream('demo', 'reader-1')!.messages.filter((m) => m.controlType === 'READ' && m.sourceType === 'CUSTOMER');
    expect(echoes().map((m) => m.data?.readSeq)).toEqual([c.first, c.second]);
    await c.send('READ', String(c.first));
    await c.send('READ', String(c.second));
    expect(c.seen()).toBe(c.second);
    expect(echoes()).toHaveLength(2);
  });

  it('is echoed on the customer’s downlink (other tabs, a resumed page) but not in the history or the agent’s transcript', async () => {
    const c = await chatting('reader-2');
    await c.send('READ', String(c.second));
    const echo = (await c.poll()).filter((m) => m.controlType === 'READ' && m.sourceType === 'CUSTOMER');
    expect(echo.map((m) => m.data?.readSeq)).toEqual([c.second]);
    expect((await c.history()).some((m) => m.controlType === 'READ')).toBe(false);
    expect(h.cc.desk.snapshot('alice').session!.messages.some((m) => m.controlType === 'READ')).toBe(false);
  });

  it('the agent’s own READ of the customer is not confused with the customer’s', async () => {
    const c = await chatting('reader-3');
    await c.send('CHAT', 'My order is late');
    await c.send('READ', String(c.second));
    h.cc.desk.snapshot('alice', { markRead: true });
    const stream = h.cc.findStream('demo', 'reader-3')!;
    const agentReads = stream.messages.filter((m) => m.controlType === 'READ' && m.sourceType === 'AGENT');
    const customerChat = stream.messages.filter((m) => m.sourceType === 'CUSTOMER' && m.controlType === 'CHAT').at(-1)!;
    expect(agentReads.map((m) => m.data?.readSeq)).toEqual([customerChat.seq]);
    h.cc.desk.snapshot('alice', { markRead: true });
    expect(stream.messages.filter((m) => m.controlType === 'READ' && m.sourceType === 'AGENT')).toHaveLength(1);
  });

  it('a READ that is not a positive seq is a 400 naming content; with no chat it is accepted and ignored', async () => {
    const c = await customer('reader-4');
    for (const bad of ['', 'abc', '0', '-3', '1.5', '9'.repeat(16)]) {
      const res = await c.send('READ', bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.field).toBe('content');
      expect(res.body.errorCode).toBe('send.content.invalid');
    }
    expect((await c.send('READ', '1')).status).toBe(200);
  });
});

describe('the customer READ on the real-CEC face (/cec)', () => {
  // The real face through msw/node (its customer speaks the wire with fetch).
  const wire = useNodeMock({ autoAgents: false });

  it('marks what the face delivered as read: the agent sees Seen under its latest message delivered', async () => {
    const c = await new CecCustomer(wire, 'cec-reader').start();
    for (const step of ['sign-in', 'ready']) await request('POST', `http://cec.test/mock/agents/bob/${step}`);
    await c.send('TRANS2AGENT');
    expect((await request('POST', 'http://cec.test/mock/agents/bob/accept')).status).toBe(200);
    const delivered = wire.cc.desk.send('bob', 'Hi from Bob').session!.messages.at(-1)!.seq;
    await c.poll();
    wire.cc.desk.send('bob', 'Not polled yet');
    expect((await c.send('READ')).body.resultCode).toBe('0');
    const agent = () => wire.cc.desk.snapshot('bob').session!;
    expect(agent().customerReadSeq).toBe(delivered);
    const snap = await request('GET', 'http://cec.test/mock/agents/bob');
    expect(snap.body.agent.session.customerReadSeq).toBe(delivered);
    // The customer's READ never comes back down the real wire.
    const down = await c.poll(true);
    expect(down.some((m) => m.controlType === 'READ')).toBe(false);
    await c.send('READ');
    expect(agent().customerReadSeq).toBe(agent().messages.at(-1)!.seq);
  });
});
