/**
 * The customer's read receipt on the mock (requirements §6 "read state", customer → agent):
 * `send` takes `controlType: READ` with the seq of the latest agent message read as `content`,
 * records it on the session, and the agent's view says which message was seen. The real-CEC
 * face's READ (no content: "read what I was given") reaches the same record.
 */
import { describe, expect, it } from 'vitest';
import { useNodeMock } from '../node-mock.js';
import { CecCustomer, request } from './cec/wire.js';

// One mock for both faces (any origin): two msw servers in one file would both see each request.
const mock = useNodeMock({ autoAgents: false });
const { cc } = mock;
const API = 'http://shop.test/apiaccess/ccmessaging';

let n = 0;
async function customer(userId: string) {
  const t = await (await fetch(`${API}/applyToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channelId: 'demo', userId }) })).json();
  const send = async (controlType: string, content = '') => {
    const res = await fetch(`${API}/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ccmessaging-token': t.token },
      body: JSON.stringify({ channel: 'WEB', controlType, mediaType: 'TEXT', content, from: userId, to: 'demo', sourceType: 'CUSTOMER', timestamp: cc.clock.now(), clientMessageId: `r${++n}` }),
    });
    return { status: res.status, body: await res.json() };
  };
  const poll = async (cursor = 0) =>
    (await (await fetch(`${API}/poll?receiverId=${userId}&channel=WEB&cursor=${cursor}&wait=0`, { headers: { 'ccmessaging-token': t.token } })).json()).downlinkMessages as Array<{
      seq: number;
      controlType: string;
      sourceType: string;
      data?: { readSeq?: number };
    }>;
  const history = async () =>
    (
      await (
        await fetch(`${API}/queryHistoryChatMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'ccmessaging-token': t.token },
          body: JSON.stringify({ userId, channelId: 'demo' }),
        })
      ).json()
    ).messages as Array<{ controlType: string }>;
  return { send, poll, history };
}

/** A customer in a chat with alice, who has written two messages; returns their seqs. */
async function chatting(userId: string) {
  cc.clock.advance(600_000); // the agent's wrap-up after the previous test
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  const c = await customer(userId);
  await c.send('CONNECT');
  await c.send('TRANS2AGENT');
  cc.desk.accept('alice');
  const first = cc.desk.send('alice', 'Hello').session!.messages.at(-1)!.seq;
  const second = cc.desk.send('alice', 'How can I help?').session!.messages.at(-1)!.seq;
  const seen = () => cc.desk.snapshot('alice').session!.customerReadSeq;
  return { ...c, first, second, seen };
}

describe('the customer READ on our contract', () => {
  it('records the latest agent message read; the agent view shows it; older or repeated READs change nothing', async () => {
    const c = await chatting('reader-1');
    expect(c.seen()).toBe(0);
    const version = cc.desk.snapshot('alice').version;
    expect((await c.send('READ', String(c.first))).status).toBe(200);
    expect(c.seen()).toBe(c.first);
    expect(cc.desk.snapshot('alice').version).toBeGreaterThan(version); // a long-polling workbench wakes
    // A seq past the agent's messages (the customer's own echo, say) means the latest at or below it.
    await c.send('READ', String(c.second + 5));
    expect(c.seen()).toBe(c.second);
    const echoes = () => cc.findStream('demo', 'reader-1')!.messages.filter((m) => m.controlType === 'READ' && m.sourceType === 'CUSTOMER');
    expect(echoes().map((m) => m.data?.readSeq)).toEqual([c.first, c.second]);
    await c.send('READ', String(c.first));
    await c.send('READ', String(c.second));
    expect(c.seen()).toBe(c.second);
    expect(echoes()).toHaveLength(2);
    cc.desk.end('alice');
  });

  it('is echoed on the customer’s downlink (other tabs, a resumed page) but not in the history or the agent’s transcript', async () => {
    const c = await chatting('reader-2');
    await c.send('READ', String(c.second));
    const echo = (await c.poll()).filter((m) => m.controlType === 'READ' && m.sourceType === 'CUSTOMER');
    expect(echo.map((m) => m.data?.readSeq)).toEqual([c.second]);
    expect((await c.history()).some((m) => m.controlType === 'READ')).toBe(false);
    expect(cc.desk.snapshot('alice').session!.messages.some((m) => m.controlType === 'READ')).toBe(false);
    cc.desk.end('alice');
  });

  it('the agent’s own READ of the customer is not confused with the customer’s', async () => {
    const c = await chatting('reader-3');
    await c.send('CHAT', 'My order is late');
    await c.send('READ', String(c.second));
    cc.desk.snapshot('alice', { markRead: true });
    const stream = cc.findStream('demo', 'reader-3')!;
    const agentReads = stream.messages.filter((m) => m.controlType === 'READ' && m.sourceType === 'AGENT');
    const customerChat = stream.messages.filter((m) => m.sourceType === 'CUSTOMER' && m.controlType === 'CHAT').at(-1)!;
    expect(agentReads.map((m) => m.data?.readSeq)).toEqual([customerChat.seq]);
    cc.desk.snapshot('alice', { markRead: true });
    expect(stream.messages.filter((m) => m.controlType === 'READ' && m.sourceType === 'AGENT')).toHaveLength(1);
    cc.desk.end('alice');
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
  it('marks what the face delivered as read: the agent sees Seen under its latest message delivered', async () => {
    const wire = mock;
    wire.clock.advance(600_000); // bob's wrap-up, should an earlier test have left one
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
