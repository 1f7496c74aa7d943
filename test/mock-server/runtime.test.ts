/**
 * The mock contact center's runtime through its HTTP contract (MSW handlers answered with
 * `getResponse`, no network): tokens, sessions, chatbot, queues and their policies, reminders,
 * the idle rule, wrap-up, work time, idempotent sends and gap-free polling.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DownlinkMessage } from '../../widget/core/protocol.js';
import type { Tenant } from '../../mock-server/config/types.js';
import type { Clock } from '../../mock-server/runtime/clock.js';
import type { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { customerSend, type SendRequest } from '../../mock-server/runtime/customer-send.js';
import { mockHarness, T0, type MockHarness } from './harness.js';

let clock: Clock;
let cc: ContactCenter;
let call: MockHarness['call'];

function setUp(edit: (t: Tenant) => void = () => {}) {
  ({ clock, cc, call } = mockHarness({ edit }));
}

class Customer {
  token = '';
  cursor = 0;
  seen: DownlinkMessage[] = [];
  private n = 0;
  constructor(
    readonly userId: string,
    readonly channelId = 'demo',
  ) {}
  async start() {
    const r = await call('POST', '/apiaccess/ccmessaging/applyToken', { channelId: this.channelId, userId: this.userId, userName: this.userId });
    expect(r.status).toBe(200);
    this.token = r.body.token;
    return this.send('CONNECT', '');
  }
  send(controlType: SendRequest['controlType'], content: string, clientMessageId = `${this.userId}-${++this.n}`) {
    return call('POST', '/apiaccess/ccmessaging/send', customerSend({ userId: this.userId, channelId: this.channelId, controlType, content, timestamp: clock.now(), clientMessageId }), {
      'ccmessaging-token': this.token,
    });
  }
  async poll(): Promise<DownlinkMessage[]> {
    const r = await call('GET', `/apiaccess/ccmessaging/poll?receiverId=${this.userId}&channel=WEB&cursor=${this.cursor}`, undefined, { 'ccmessaging-token': this.token });
    expect(r.status).toBe(200);
    this.cursor = r.body.cursor;
    this.seen.push(...r.body.downlinkMessages);
    return r.body.downlinkMessages;
  }
  async events() {
    await this.poll();
    return this.seen.filter((m) => m.event).map((m) => m.event);
  }
  last() {
    return this.seen[this.seen.length - 1]!;
  }
}

beforeEach(() => setUp());

describe('tokens', () => {
  it('every channel call needs a token; an expired one gets 401 auth.token.expired', async () => {
    const c = new Customer('t1');
    await c.start();
    expect((await call('POST', '/apiaccess/ccmessaging/queryQueueInfo', {})).body.errorCode).toBe('auth.token.missing');
    clock.advance(3600_000);
    const r = await c.send('CHAT', 'hello');
    expect([r.status, r.body.errorCode]).toEqual([401, 'auth.token.expired']);
  });

  it('rotates a token close to expiry through the ccmessaging-token response header', async () => {
    const c = new Customer('t2');
    await c.start();
    clock.advance(3200_000);
    const r = await c.send('CHAT', 'still there');
    const rotated = r.headers.get('ccmessaging-token');
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(c.token);
  });

  it('bad input names the field', async () => {
    const r = await call('POST', '/apiaccess/ccmessaging/applyToken', { channelId: 'demo', userId: 'has spaces' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ errorCode: 'applyToken.userId.invalid', field: 'userId' });
    const c = new Customer('t3');
    await c.start();
    const long = await c.send('CHAT', 'x'.repeat(1025));
    expect(long.body).toMatchObject({ errorCode: 'send.content.tooLong', field: 'content' });
  });
});

describe('delivery guarantees', () => {
  it('send is idempotent on clientMessageId; poll has gap-free seq from a cursor', async () => {
    const c = new Customer('d1');
    await c.start();
    const first = await c.send('CHAT', 'hello', 'same-id');
    const again = await c.send('CHAT', 'hello', 'same-id');
    expect(again.body).toEqual(first.body);
    const all = await c.poll();
    expect(all.filter((m) => m.content === 'hello')).toHaveLength(1);
    expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
    c.cursor = 1;
    const replay = await c.poll();
    expect(replay[0]!.seq).toBe(2);
  });

  it('a cursor past the end is a 400 naming the cursor', async () => {
    const c = new Customer('d2');
    await c.start();
    c.cursor = 999;
    const r = await call('GET', `/apiaccess/ccmessaging/poll?receiverId=d2&cursor=999`, undefined, { 'ccmessaging-token': c.token });
    expect(r.body).toMatchObject({ errorCode: 'poll.cursor.ahead', field: 'cursor' });
  });
});

describe('chatbot', () => {
  it('greets, answers keywords, falls back to defaultReply, and hands over on a transfer keyword', async () => {
    cc.desk.signIn('alice');
    const c = new Customer('b1');
    await c.start();
    await c.send('CHAT', 'REFUND please');
    await c.send('CHAT', 'the weather?');
    await c.send('CHAT', '我要转人工');
    await c.poll();
    const bot = c.seen.filter((m) => m.sourceType === 'ROBOT').map((m) => m.content);
    expect(bot).toEqual([
      expect.stringContaining("I'm Ava"),
      'Refunds are paid to the original card within 5 working days.',
      expect.stringContaining("Sorry, I didn't understand"),
      'Connecting you to an agent now…',
    ]);
    expect(c.last().event).toBe('queue.joined');
  });

  it('with the chatbot off the customer goes straight to the queue', async () => {
    setUp((t) => (t.channels[0]!.chatbot = null));
    cc.desk.signIn('alice');
    const c = new Customer('b2');
    await c.start();
    expect(await c.events()).toEqual(['queue.joined']);
  });
});

describe('queues', () => {
  it('reminds every intervalSeconds with position and estimate', async () => {
    cc.desk.signIn('alice');
    const c = new Customer('q1');
    await c.start();
    await c.send('TRANS2AGENT', '');
    clock.advance(25_000);
    await c.poll();
    const reminders = c.seen.filter((m) => m.event === 'queue.reminder');
    expect(reminders).toHaveLength(2);
    expect(reminders[0]).toMatchObject({ content: 'Thanks for waiting, an agent will be with you shortly.', queueFlag: 'Y', data: { position: 1 } });
    const info = await call('POST', '/apiaccess/ccmessaging/queryQueueInfo', {}, { 'ccmessaging-token': c.token });
    expect(info.body).toMatchObject({ resultCode: '0', position: 1, configMaxcWaitTime: 600, totalWaitTime: 25 });
  });

  it('onNoAgents releases with its reason when nobody of the queue is signed in', async () => {
    const c = new Customer('q2');
    await c.start();
    await c.send('TRANS2AGENT', '');
    await c.poll();
    expect(c.last()).toMatchObject({ controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: 'queue.noAgents' } });
  });

  it('onTimeout after maxWaitTime; onBusy past maxCallsInQueue', async () => {
    setUp((t) => {
      t.skillQueues[0]!.maxWaitTime = 30;
      t.skillQueues[0]!.maxCallsInQueue = 1;
    });
    cc.desk.signIn('alice');
    const a = new Customer('q3');
    const b = new Customer('q4');
    await a.start();
    await a.send('TRANS2AGENT', '');
    await b.start();
    await b.send('TRANS2AGENT', '');
    await b.poll();
    expect(b.last().data?.endReason).toBe('queue.busy');
    clock.advance(30_000);
    await a.poll();
    expect(a.last().data?.endReason).toBe('queue.timeout');
  });

  it('a transfer policy moves the customer to another queue without a gap', async () => {
    setUp((t) => {
      t.skillQueues[0]!.maxWaitTime = 30;
      t.skillQueues[0]!.onTimeout = { processMethod: 'transfer', deviceType: 'skillQueue', target: 'Billing' };
    });
    cc.desk.signIn('alice');
    const c = new Customer('q5');
    await c.start();
    await c.send('TRANS2AGENT', '');
    clock.advance(30_000);
    await c.poll();
    const tail = c.seen.slice(-2).map((m) => [m.event, m.data?.queueName]);
    expect(tail).toEqual([
      ['queue.transferred', 'Billing'],
      ['queue.joined', 'Billing'],
    ]);
    expect(cc.waiting('Billing')).toHaveLength(1);
  });

  it('agents take customers in arrival order; wrap-up lasts arrangingDuration', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const first = new Customer('q6');
    const second = new Customer('q7');
    await first.start();
    await first.send('TRANS2AGENT', '');
    clock.advance(1000);
    await second.start();
    await second.send('TRANS2AGENT', '');
    expect(cc.desk.accept('alice').session?.userId).toBe('q6');
    expect(() => cc.desk.accept('alice')).toThrow(/busy/);
    cc.desk.end('alice');
    expect(cc.desk.status('alice')).toBe('wrapUp');
    expect(() => cc.desk.accept('alice')).toThrow(/wrap-up/);
    clock.advance(5000);
    expect(cc.desk.accept('alice').session?.userId).toBe('q7');
  });

  it('auto-agents accept after their delay and reply', async () => {
    setUp((t) => (t.autoAgents = [{ account: 'bob', acceptAfterSeconds: 2, replies: ['Hi from Bob'] }]));
    cc.desk.startAutoAgents();
    const c = new Customer('q8');
    await c.start();
    await c.send('TRANS2AGENT', '');
    clock.advance(2000);
    await c.send('CHAT', 'hello bob');
    clock.advance(2000);
    await c.poll();
    expect(c.seen.some((m) => m.event === 'agent.joined' && m.data?.agentName === 'Bob')).toBe(true);
    expect(c.seen.some((m) => m.sourceType === 'AGENT' && m.content === 'Hi from Bob')).toBe(true);
  });
});

describe('idle rule', () => {
  it('warns before the 20-minute limit, then ends with the chatbot timeoutReply', async () => {
    const c = new Customer('i1');
    await c.start();
    clock.advance(18 * 60_000);
    await c.poll();
    expect(c.last()).toMatchObject({ event: 'idle.warning', data: { deadline: T0 + 20 * 60_000 } });
    clock.advance(2 * 60_000);
    await c.poll();
    expect(c.last()).toMatchObject({ event: 'session.ended', content: 'This chat was closed because we did not hear from you. Come back any time!', data: { endReason: 'idle' } });
  });

  it('a customer message resets the timer ("I\'m still here")', async () => {
    const c = new Customer('i2');
    await c.start();
    clock.advance(19 * 60_000);
    await c.send('CHAT', "I'm still here");
    clock.advance(19 * 60_000);
    await c.poll();
    expect(c.seen.some((m) => m.event === 'session.ended')).toBe(false);
  });

  it('with dialogEnd on, noReplyMinutes and the conclusion apply to agent chats', async () => {
    setUp((t) => (t.channels[0]!.dialogEnd = { noReplyMinutes: 5, conclusion: 'Thanks, bye.' }));
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const c = new Customer('i3');
    await c.start();
    await c.send('TRANS2AGENT', '');
    cc.desk.accept('alice');
    clock.advance(5 * 60_000);
    await c.poll();
    expect(c.last()).toMatchObject({ content: 'Thanks, bye.', data: { endReason: 'idle' } });
    expect(cc.desk.status('alice')).toBe('wrapUp');
  });
});

describe('work time', () => {
  const shanghai = (t: Tenant) =>
    (t.channels[0]!.workTime = {
      timeZone: 'Asia/Shanghai',
      workdays: [1, 2, 3, 4, 5],
      workday: [{ start: '09:00', end: '18:00' }],
      nonWorkday: [],
      nonWorkingNotice: 'We are closed. Opening hours: 9–18 on workdays.',
    });

  it('inside the segments the chat starts normally', async () => {
    setUp(shanghai);
    const c = new Customer('w1');
    await c.start();
    expect(await c.events()).toEqual(['bot.greeting']);
  });

  it('outside them CONNECT yields the notice with the next opening, and a message can be left', async () => {
    setUp(shanghai);
    clock.advance(9 * 3600_000); // 19:00 in Shanghai
    const c = new Customer('w2');
    await c.start();
    await c.poll();
    expect(c.last()).toMatchObject({ event: 'offhours.notice', content: 'We are closed. Opening hours: 9–18 on workdays.', data: { nextOpening: Date.parse('2026-11-26T01:00:00Z') } });
    const left = await call('POST', '/apiaccess/ccmessaging/doLeaveMessage', { content: 'Call me back', contact: '+86 138 0000 0000' }, { 'ccmessaging-token': c.token });
    expect(left.status).toBe(200);
    expect(cc.leftMessages).toMatchObject([{ userId: 'w2', content: 'Call me back' }]);
  });
});

describe('satisfaction', () => {
  it('only after an agent chat; the last one counts', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const c = new Customer('s1');
    await c.start();
    const h = { 'ccmessaging-token': c.token };
    expect((await call('POST', '/apiaccess/ccmessaging/saveSatisfaction', { evaluation: '5', comment: '' }, h)).status).toBe(409);
    await c.send('TRANS2AGENT', '');
    cc.desk.accept('alice');
    await call('POST', '/apiaccess/ccmessaging/saveSatisfaction', { evaluation: '2', comment: 'slow' }, h);
    await call('POST', '/apiaccess/ccmessaging/saveSatisfaction', { evaluation: '5', comment: 'sorted' }, h);
    expect(cc.desk.snapshot('alice').session?.evaluation).toEqual({ evaluation: '5', comment: 'sorted' });
    const bad = await call('POST', '/apiaccess/ccmessaging/saveSatisfaction', { evaluation: '5', comment: 'x'.repeat(512) }, h);
    expect(bad.body).toMatchObject({ errorCode: 'saveSatisfaction.comment.invalid', field: 'comment' });
  });
});
