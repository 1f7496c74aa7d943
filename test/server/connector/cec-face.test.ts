/**
 * Whole conversations through the chain a real deployment has: the widget's runner → the
 * connector → the mock's real-CEC face (the real wire: AK/SK, consume-once poll, SYSTEM texts).
 * The widget needs no second mode: it sees the same phases and events as against the mock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SessionRunner } from '../../../widget/client/runner.js';
import type { SessionState } from '../../../widget/core/session.js';
import { fastRunner, memoryStorage } from '../../client/helpers.js';
import { CONNECTOR_ORIGIN, startChain, until, type Chain } from './helpers.js';

let chain: Chain | null = null;
const runners: SessionRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) r.destroy();
  await chain?.close();
  chain = null;
});

function customer(c: Chain, userId: string) {
  const events: Array<[string, Record<string, unknown>]> = [];
  const r = new SessionRunner({
    baseUrl: CONNECTOR_ORIGIN,
    channelId: 'demo',
    userId,
    userName: `Customer ${userId}`,
    locale: 'en',
    storage: memoryStorage(),
    ...fastRunner,
    pollWaitSeconds: 25,
    fetch: c.browserFetch,
    onEvent: (name, detail) => events.push([name, detail]),
  });
  runners.push(r);
  return { r, events };
}

const texts = (s: SessionState, author: string) => s.transcript.filter((m) => m.author === author).map((m) => m.text);

describe('widget runner → connector → real-CEC face', () => {
  it('chatbot: greeting, keyword answer, default reply', async () => {
    const c = (chain = startChain());
    const { r } = customer(c, 'bot-1');
    r.start();
    await until('bot phase', () => r.state.phase === 'bot');
    expect(r.state.transcript[0]).toMatchObject({ author: 'bot', event: 'bot.greeting' });
    r.dispatch({ type: 'message.submit', id: r.newId(), text: 'what are your opening hours?', now: r.now(), name: 'x' });
    await until('reply', () => texts(r.state, 'bot').length >= 2);
    expect(texts(r.state, 'bot')[1]).toBe('We are open Monday to Friday, 09:00–18:00.');
    expect(r.state.transcript.find((m) => m.author === 'customer')).toMatchObject({ status: 'sent' });
  });

  it('keyword transfer, queue position and reminder, agent chat both ways, read state, evaluation, end by agent', async () => {
    const c = (chain = startChain());
    // Nobody signed in yet would end the chat (no agents): alice signs in but is not ready at first.
    c.cc.desk.signIn('alice');
    const { r, events } = customer(c, 'chat-1');
    r.start();
    await until('bot phase', () => r.state.phase === 'bot');
    r.dispatch({ type: 'message.submit', id: r.newId(), text: 'I need an AGENT please', now: r.now(), name: 'x' });
    await until('queue phase', () => r.state.phase === 'queue');
    expect(r.state.queue?.position).toBe(1);
    expect(r.state.transcript.some((m) => m.event === 'bot.transfer')).toBe(true);
    // The reminder is the CEC's SYSTEM text, every intervalSeconds on the mock clock.
    c.clock.advance(10_000);
    await until('reminder', () => r.state.queue?.reminder === 'Thanks for waiting, an agent will be with you shortly.');
    c.cc.desk.setReady('alice', true);
    const waiting = c.cc.desk.snapshot('alice').waiting.find((w) => w.customerName.includes('chat-1'));
    if (waiting) c.cc.desk.accept('alice', waiting.sessionId);
    await until('agent phase', () => r.state.phase === 'agent');
    expect(events.some(([n]) => n === 'cec-agent-joined')).toBe(true);
    c.cc.desk.send('alice', 'Hello, this is Alice.');
    await until('agent text', () => texts(r.state, 'agent').includes('Hello, this is Alice.'));
    // The CEC's "connected" text has no name: the agent's first message gives it to the header.
    expect(r.state.agent?.name).toBe(c.cc.desk.snapshot('alice').name);
    r.dispatch({ type: 'message.submit', id: r.newId(), text: 'Hi Alice, my order is late.', now: r.now(), name: 'x' });
    await until('at the desk', () => c.cc.desk.snapshot('alice').session!.messages.some((m) => m.content === 'Hi Alice, my order is late.'));
    // The agent reads: READ arrives upstream (isNeedRead) and becomes the widget's read receipt.
    c.cc.desk.snapshot('alice', { markRead: true });
    const lastCustomerSeq = Math.max(...r.state.transcript.filter((m) => m.author === 'customer').map((m) => m.seq ?? 0));
    await until('read', () => r.state.readSeq >= lastCustomerSeq);
    r.dispatch({ type: 'evaluation.submit', score: 5, comment: 'Quick and kind' });
    await until('rated', () => c.face.ratings.length === 1);
    expect(c.face.ratings[0]).toMatchObject({ evaluation: '5', comment: 'Quick and kind', userId: 'chat-1' });
    c.cc.desk.end('alice');
    await until('ended', () => r.state.phase === 'ended');
    expect(r.state.ended?.reason).toBe('agent');
    // Every message the widget holds has a unique, gap-free seq.
    expect(r.state.cursor).toBeGreaterThan(5);
  });

  it('the customer reads the agent: the READ goes up to the CEC once it covers the latest agent message, and the agent sees it', async () => {
    const c = (chain = startChain());
    c.cc.desk.signIn('alice');
    c.cc.desk.setReady('alice', true);
    // Every READ the widget sends, with the connector's answer.
    const reads: Array<Promise<{ status: number; content: unknown }>> = [];
    const fetchSpy: typeof fetch = (input, init) => {
      const res = c.browserFetch(input, init);
      const body = typeof init?.body === 'string' ? JSON.parse(init.body) : null;
      if (body?.controlType === 'READ') reads.push(res.then((x) => ({ status: x.status, content: body.content })));
      return res;
    };
    const r = new SessionRunner({
      baseUrl: CONNECTOR_ORIGIN,
      channelId: 'demo',
      userId: 'reader-1',
      userName: 'Reader',
      locale: 'en',
      storage: memoryStorage(),
      ...fastRunner,
      pollWaitSeconds: 25,
      fetch: fetchSpy,
    });
    runners.push(r);
    r.start();
    await until('bot phase', () => r.state.phase === 'bot');
    r.dispatch({ type: 'transfer.request' });
    await until('waiting for alice', () => c.cc.desk.snapshot('alice').waiting.length > 0);
    c.cc.desk.accept('alice');
    await until('agent phase', () => r.state.phase === 'agent');
    c.cc.desk.send('alice', 'First line.');
    c.cc.desk.send('alice', 'Second line.');
    await until('both lines', () => texts(r.state, 'agent').length === 2);
    const [first, second] = r.state.transcript.filter((m) => m.author === 'agent').map((m) => m.seq!);
    const seen = () => c.cc.desk.snapshot('alice').session!.customerReadSeq;

    // Read up to the first line only: the CEC's READ would claim the second too, so it stays here.
    r.dispatch({ type: 'messages.seen', upToSeq: first! });
    await until('READ answered', () => reads.length === 1);
    expect(await reads[0]).toEqual({ status: 200, content: String(first) });
    expect(seen()).toBe(0);

    r.dispatch({ type: 'messages.seen', upToSeq: second! });
    await until('READ answered', () => reads.length === 2);
    expect(await reads[1]).toEqual({ status: 200, content: String(second) });
    await until('Seen at the desk', () => seen() > 0);
    const desk = c.cc.desk.snapshot('alice').session!;
    expect(desk.messages.find((m) => m.seq === seen())?.content).toBe('Second line.');
    // Nothing new read: no READ at all.
    r.dispatch({ type: 'messages.seen', upToSeq: second! });
    expect(reads).toHaveLength(2);
  });

  it('a READ whose content is not a seq is a 400 naming content', async () => {
    const c = (chain = startChain());
    const { r } = customer(c, 'reader-2');
    r.start();
    await until('bot phase', () => r.state.phase === 'bot');
    const err = await r.client.send({ controlType: 'READ', mediaType: 'TEXT', content: 'all', clientMessageId: r.newId() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 400, field: 'content', errorCode: 'send.content.invalid' });
  });

  it('idle: the CEC ends a silent chat with its configured text; the widget shows why', async () => {
    const c = (chain = startChain());
    const { r } = customer(c, 'idle-1');
    r.start();
    await until('bot phase', () => r.state.phase === 'bot');
    c.clock.advance(21 * 60_000);
    await until('ended', () => r.state.phase === 'ended');
    expect(r.state.ended?.reason).toBe('idle');
    expect(texts(r.state, 'system').concat(texts(r.state, 'bot'))).toContain('This chat was closed because we did not hear from you. Come back any time!');
  });

  it('off hours: the notice becomes offhours.notice; a message left reaches the CEC', async () => {
    const workTime = {
      timeZone: 'Asia/Shanghai',
      workdays: [1, 2, 3, 4, 5] as Array<1 | 2 | 3 | 4 | 5 | 6 | 7>,
      workday: [{ start: '00:00', end: '01:00' }],
      nonWorkday: [],
      nonWorkingNotice: 'We are closed now.',
    };
    // The tenant's console setting, and the same setting in the connector's config file.
    const c = (chain = startChain({
      edit: (t) => void (t.channels.find((ch) => ch.id === 'demo')!.workTime = workTime),
      configure: (cfg) => void (cfg.channels[0]!.workTime = workTime),
    }));
    const { r } = customer(c, 'off-1');
    r.start();
    await until('off hours', () => r.state.phase === 'offHours');
    expect(r.state.transcript.find((m) => m.event === 'offhours.notice')?.text).toBe('We are closed now.');
    await r.client.leaveMessage('Please call me back', '+86 138 0000 0000');
    expect(c.cc.leftMessages.some((m) => m.content === 'Please call me back')).toBe(true);
    await until('message.left', () => r.state.transcript.some((m) => m.event === 'message.left'));
  });

  it('click-to-dial: the connector issues the call id; events ringing → connected → ended', async () => {
    const c = (chain = startChain());
    const { r } = customer(c, 'call-1');
    r.start();
    await until('bot phase', () => r.state.phase === 'bot');
    c.cc.desk.signIn('bob');
    c.cc.desk.setReady('bob', true);
    const created = await r.client.createCall('voice');
    expect(created).toMatchObject({ resultCode: '0', callId: expect.stringMatching(/^[\w-]{16,}$/) });
    const callId = created.callId!;
    let cursor = 0;
    const seen: string[] = [];
    const drain = async () => {
      const res = await r.client.callEvents(callId, cursor, 0);
      cursor = res.cursor;
      seen.push(...res.events.map((e) => e.type));
    };
    await until('ringing', () => (void drain(), seen.includes('ringing')));
    await fetch(`${'http://cec.test'}/mock/agents/bob/call/answer`, { method: 'POST' });
    await until('connected', () => (void drain(), seen.includes('connected')));
    await r.client.dropCall(callId);
    await until('ended', () => (void drain(), seen.includes('ended')));
    expect(seen.filter((t, i) => seen.indexOf(t) === i)).toEqual(['ringing', 'connected', 'ended']);
  });
});
