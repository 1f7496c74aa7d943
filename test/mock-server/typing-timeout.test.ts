/**
 * The customer's "typing" as the agent sees it goes off by itself CUSTOMER_TYPING_TIMEOUT_MS
 * after the last INPUT, on the mock clock (issue 12 case 14, agent side): a widget that stopped
 * sending (tab closed, network gone) never leaves the agent seeing a stale "typing". Also on the
 * real-CEC face, whose INPUTs reach the same runtime.
 */
import { describe, expect, it } from 'vitest';
import type { SendRequest } from '../../widget/core/protocol.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { CUSTOMER_TYPING_TIMEOUT_MS } from '../../mock-server/runtime/session.js';
import { CecCustomer, request, startWire } from './cec/wire.js';

async function withAgent() {
  const clock = new Clock('manual', Date.parse('2026-11-25T02:00:00Z'));
  const cc = new ContactCenter({ clock, wallClock: () => clock.now() });
  const t = await cc.applyToken({ channelId: 'demo', userId: 'typist' }, null);
  const id = cc.authenticate(t.token);
  let n = 0;
  const send = (controlType: SendRequest['controlType'], content = '') =>
    cc.send(id, {
      channel: 'WEB',
      controlType,
      mediaType: 'TEXT',
      content,
      from: 'typist',
      to: 'demo',
      senderNickname: '',
      sourceType: 'CUSTOMER',
      timestamp: clock.now(),
      clientMessageId: `m${++n}`,
    });
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  send('CONNECT');
  send('TRANS2AGENT');
  cc.desk.accept('alice');
  expect(cc.desk.snapshot('alice').session).not.toBeNull();
  const typing = () => cc.desk.snapshot('alice').session?.customerTyping;
  return { clock, cc, send, typing };
}

describe('the customer typing flag on the agent side', () => {
  it(`goes off ${CUSTOMER_TYPING_TIMEOUT_MS} ms after the last INPUT, and the agent's view changes`, async () => {
    const { clock, cc, send, typing } = await withAgent();
    send('INPUT', 'typing');
    expect(typing()).toBe(true);
    const version = cc.desk.snapshot('alice').version;
    clock.advance(CUSTOMER_TYPING_TIMEOUT_MS - 1);
    expect(typing()).toBe(true);
    clock.advance(1);
    expect(typing()).toBe(false);
    expect(cc.desk.snapshot('alice').version).toBeGreaterThan(version); // a long-polling agent is woken
  });

  it('each INPUT restarts the time; one timer per session however many INPUTs come', async () => {
    const { clock, send, typing } = await withAgent();
    const before = clock.pendingTimers();
    send('INPUT', 'typing');
    const armed = clock.pendingTimers();
    expect(armed).toBe(before + 1);
    for (let i = 0; i < 10; i++) {
      clock.advance(CUSTOMER_TYPING_TIMEOUT_MS / 2);
      send('INPUT', 'typing');
      expect(clock.pendingTimers()).toBeLessThanOrEqual(armed);
      expect(typing()).toBe(true);
    }
    clock.advance(CUSTOMER_TYPING_TIMEOUT_MS - 1);
    expect(typing()).toBe(true);
    clock.advance(1);
    expect(typing()).toBe(false);
  });

  it('an empty INPUT or a message turns it off at once; the end leaves no timer behind', async () => {
    const { clock, send, typing } = await withAgent();
    send('INPUT', 'typing');
    send('INPUT', '');
    expect(typing()).toBe(false);
    send('INPUT', 'typing');
    send('CHAT', 'hello');
    expect(typing()).toBe(false);
    const before = clock.pendingTimers();
    send('INPUT', 'typing');
    send('DISCONNECT');
    expect(clock.pendingTimers()).toBeLessThanOrEqual(before);
  });
});

describe('on the real-CEC face (/cec)', () => {
  it('an INPUT shows typing to the agent, gone on the mock clock without another INPUT', async () => {
    const wire = startWire();
    try {
      const c = await new CecCustomer(wire, 'cec-typist').start();
      for (const step of ['sign-in', 'ready']) await request('POST', `http://cec.test/mock/agents/bob/${step}`);
      await c.send('TRANS2AGENT');
      expect((await request('POST', 'http://cec.test/mock/agents/bob/accept')).status).toBe(200);
      await c.send('INPUT', 'typ');
      const agent = () => wire.cc.desk.snapshot('bob').session;
      expect(agent()?.userId).toBe('cec-typist');
      expect(agent()?.customerTyping).toBe(true);
      wire.clock.advance(CUSTOMER_TYPING_TIMEOUT_MS);
      expect(agent()?.customerTyping).toBe(false);
    } finally {
      wire.close();
    }
  });
});
