/**
 * Privacy and identity in the mock (issue 13, mock side): a user id is not a password, names
 * cannot be spoofed, tokens do not multiply, ended sessions do not pile up, a message is left
 * only when the contract allows it, fault settings cannot reach a prototype — and click-to-dial
 * calls the agent the customer is chatting with (issue 17 case 7). Through the MSW handlers
 * (`getResponse`, no network) on a manual mock clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DownlinkMessage } from '../../widget/core/protocol.js';
import { signChannelToken } from '../../widget/server/sign.js';
import { DEMO_SECRET_KEY } from '../../mock-server/config/seed.js';
import type { Tenant } from '../../mock-server/config/types.js';
import type { Clock } from '../../mock-server/runtime/clock.js';
import type { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { ENDED_SESSION_RETENTION_MS, MAX_ENDED_SESSIONS } from '../../mock-server/runtime/session.js';
import { TOKEN_GRACE_SECONDS } from '../../mock-server/runtime/tokens.js';
import { mockHarness, T0, type MockHarness } from './harness.js';

const API = '/apiaccess/ccmessaging';
let clock: Clock;
let cc: ContactCenter;
let call: MockHarness['call'];
let wall = T0;

function setUp(edit: (t: Tenant) => void = () => {}) {
  wall = T0;
  ({ clock, cc, call } = mockHarness({ edit, wallClock: () => wall }));
}
beforeEach(() => setUp());
afterEach(() => vi.restoreAllMocks());

class Customer {
  token = '';
  resumeKey = '';
  cursor = 0;
  seen: DownlinkMessage[] = [];
  private n = 0;
  constructor(
    readonly userId: string,
    readonly channelId = 'demo',
  ) {}
  async apply(extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const r = await call('POST', `${API}/applyToken`, { channelId: this.channelId, userId: this.userId, ...extra }, headers);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    this.token = r.body.token;
    this.resumeKey = r.body.resumeKey;
    return r;
  }
  send(controlType: string, content = '', senderNickname = '') {
    return call('POST', `${API}/send`, { controlType, content, senderNickname, clientMessageId: `${this.userId}-${this.token.slice(0, 6)}-${++this.n}` }, { 'ccmessaging-token': this.token });
  }
  async poll(cursor = this.cursor) {
    const r = await call('GET', `${API}/poll?receiverId=${this.userId}&cursor=${cursor}`, undefined, { 'ccmessaging-token': this.token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    this.cursor = r.body.cursor;
    this.seen.push(...r.body.downlinkMessages);
    return r.body.downlinkMessages as DownlinkMessage[];
  }
  history() {
    return call('POST', `${API}/queryHistoryChatMessage`, {}, { 'ccmessaging-token': this.token });
  }
}

describe('case 2: a user id is not a password (contract C1)', () => {
  it("a token applied for with only the user id sees nothing of that user's earlier sessions", async () => {
    const victim = new Customer('victim-1');
    await victim.apply({ userName: 'Victim' });
    await victim.send('CONNECT');
    await victim.send('CHAT', 'my order number is 123');
    await victim.send('DISCONNECT');
    expect((await victim.poll(0)).some((m) => m.content === 'my order number is 123')).toBe(true);

    const attacker = new Customer('victim-1');
    await attacker.apply();
    expect(attacker.resumeKey).not.toBe(victim.resumeKey);
    expect(await attacker.poll(0)).toEqual([]);
    expect((await attacker.history()).body.messages).toEqual([]);
    // A well-formed key that is not the victim's does not help either.
    const guesser = new Customer('victim-1');
    await guesser.apply({ resumeKey: 'A'.repeat(22) });
    expect(guesser.resumeKey).not.toBe('A'.repeat(22));
    expect(await guesser.poll(0)).toEqual([]);
    // Writing as the attacker never reaches the victim's stream.
    await attacker.send('CHAT', 'hello?');
    expect((await victim.poll()).some((m) => m.content === 'hello?')).toBe(false);
  });

  it('the browser that began the session resumes it with its key, and only with its user id', async () => {
    const first = new Customer('resume-1');
    await first.apply();
    await first.send('CONNECT');
    await first.send('CHAT', 'where is my parcel');
    const again = new Customer('resume-1');
    const r = await again.apply({ resumeKey: first.resumeKey });
    expect(r.body.resumeKey).toBe(first.resumeKey);
    expect((await again.poll(0)).map((m) => m.content)).toContain('where is my parcel');
    expect((await again.history()).body.messages.map((m: DownlinkMessage) => m.content)).toContain('where is my parcel');
    // Another user id with that key gets a fresh key.
    const other = new Customer('resume-2');
    expect((await other.apply({ resumeKey: first.resumeKey })).body.resumeKey).not.toBe(first.resumeKey);
  });

  it('the key is 128 random bits in base64url; a malformed one is a 400 naming resumeKey', async () => {
    const c = new Customer('k-1');
    expect((await c.apply()).body.resumeKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const bad = await call('POST', `${API}/applyToken`, { channelId: 'demo', userId: 'k-1', resumeKey: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errorCode: 'applyToken.resumeKey.invalid', field: 'resumeKey' });
  });

  it('no id, token or key of the mock comes from Math.random', async () => {
    // The runtime itself (MSW's own request ids are not the mock's): a whole chat with an upload.
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random was called');
    });
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const t = await cc.applyToken({ channelId: 'demo', userId: 'rnd-1' }, null);
    const id = cc.authenticate(t.token);
    const msg = { channel: 'WEB' as const, mediaType: 'TEXT' as const, content: '', from: 'rnd-1', to: 'demo', senderNickname: '', sourceType: 'CUSTOMER' as const, timestamp: 0 };
    cc.send(id, { ...msg, controlType: 'CONNECT', clientMessageId: 'a' });
    cc.send(id, { ...msg, controlType: 'TRANS2AGENT', clientMessageId: 'b' });
    cc.desk.accept('alice');
    const key = cc.files.upload({ fileType: 'image/png', fileName: 'a.png', fileStream: 'iVBORw0KGgo=' });
    cc.send(id, { ...msg, controlType: 'CHAT', mediaType: 'IMAGE', content: key, clientMessageId: 'c' });
    cc.send(id, { ...msg, controlType: 'DISCONNECT', clientMessageId: 'd' });
    expect(t.resumeKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Math.random).not.toHaveBeenCalled();
  });
});

describe('case 3: spoofed names', () => {
  const agentView = () => cc.desk.snapshot('alice').session!;

  it('an unsigned "System" is marked unverified and never reads as the system or an agent', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const c = new Customer('spoof-1');
    await c.apply({ userName: 'Wang' });
    await c.send('CONNECT', '', 'System');
    await c.send('TRANS2AGENT', '', 'System');
    expect(cc.desk.snapshot('alice').waiting[0]).toMatchObject({ customerNameVerified: false });
    expect(cc.desk.snapshot('alice').waiting[0]!.customerName).not.toBe('System');
    cc.desk.accept('alice');
    await c.send('CHAT', 'please reset my password', 'System');
    const s = agentView();
    expect(s.customerNameVerified).toBe(false);
    expect(s.customerName).toBe('“System” (unverified)');
    const mine = s.messages.filter((m) => m.sourceType === 'CUSTOMER');
    expect(mine.length).toBeGreaterThan(0);
    for (const m of mine) expect(m.senderNickname).toBe('“System” (unverified)');
    // Nor an agent's name, nor a bidi-disguised "System".
    await c.send('CHAT', 'x', 'Alice');
    expect(agentView().customerName).toBe('“Alice” (unverified)');
    await c.send('CHAT', 'y', '\u202eSys\u200btem');
    expect(agentView().customerName).toBe('“System” (unverified)');
    // An ordinary unsigned name is shown as given, marked unverified.
    await c.send('CHAT', 'z', 'Li Lei');
    expect(agentView()).toMatchObject({ customerName: 'Li Lei', customerNameVerified: false });
  });

  it('a signed name always wins over later nicknames', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const c = new Customer('signed-1', 'signed');
    const sig = await signChannelToken({ secretKey: DEMO_SECRET_KEY, channelId: 'signed', userId: 'signed-1', name: 'Verified Name', now: wall });
    await c.apply({ userName: 'Not Me' }, { authorization: `Bearer ${sig}` });
    await c.send('CONNECT', '', 'Someone Else');
    cc.desk.accept('alice');
    await c.send('CHAT', 'hello', 'System');
    expect(agentView()).toMatchObject({ customerName: 'Verified Name', customerNameVerified: true });
    expect(
      agentView()
        .messages.filter((m) => m.sourceType === 'CUSTOMER')
        .map((m) => m.senderNickname),
    ).toEqual(['Verified Name']);
  });
});

describe('case 5: one refresh per token', () => {
  it('20 calls with one old token get one successor; the old one stops after the grace period', async () => {
    const c = new Customer('tok-1');
    await c.apply();
    await c.send('CONNECT');
    clock.advance(3200_000); // under 10 minutes left
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('POST', `${API}/queryQueueInfo`, {}, { 'ccmessaging-token': c.token })));
    const fresh = new Set(answers.map((a) => a.headers.get('ccmessaging-token')));
    expect(fresh.size).toBe(1);
    const successor = [...fresh][0]!;
    expect(successor).toBeTruthy();
    expect(successor).not.toBe(c.token);
    clock.advance(TOKEN_GRACE_SECONDS * 1000 - 1);
    expect((await call('POST', `${API}/queryQueueInfo`, {}, { 'ccmessaging-token': c.token })).status).toBe(200);
    clock.advance(1);
    const late = await call('POST', `${API}/queryQueueInfo`, {}, { 'ccmessaging-token': c.token });
    expect([late.status, late.body.errorCode]).toEqual([401, 'auth.token.replaced']);
    const next = await call('POST', `${API}/queryQueueInfo`, {}, { 'ccmessaging-token': successor });
    expect(next.status).toBe(200);
    expect(next.headers.get('ccmessaging-token')).toBeNull();
  });
});

describe('case 6: bounded retention, indexed lookups, a paged listing', () => {
  it(`ended sessions are kept ${ENDED_SESSION_RETENTION_MS / 60_000} minutes, then forgotten with their customer`, async () => {
    const c = new Customer('ret-1');
    await c.apply();
    await c.send('CONNECT');
    await c.send('CHAT', 'private');
    await c.send('DISCONNECT');
    expect(cc.sessionCount).toBe(1);
    clock.advance(ENDED_SESSION_RETENTION_MS - 1);
    expect((await c.history()).body.messages.length).toBeGreaterThan(0);
    clock.advance(2);
    const other = new Customer('ret-2');
    await other.apply();
    await other.send('CONNECT'); // any new session prunes
    expect(cc.sessionCount).toBe(1);
    expect(cc.findStream('demo', 'ret-1')).toBeUndefined();
    const gone = await c.history();
    expect(gone.status).toBe(401); // its token went with it
  });

  it(`at most ${MAX_ENDED_SESSIONS} ended sessions are kept, however fast they come`, async () => {
    const ch = { channelId: 'demo' };
    for (let i = 0; i < MAX_ENDED_SESSIONS + 500; i++) {
      const t = await cc.applyToken({ ...ch, userId: `many-${i}` }, null);
      const id = cc.authenticate(t.token);
      const msg = { channel: 'WEB' as const, mediaType: 'TEXT' as const, content: '', from: id.userId, to: 'demo', senderNickname: '', sourceType: 'CUSTOMER' as const, timestamp: 0 };
      cc.send(id, { ...msg, controlType: 'CONNECT', clientMessageId: 'a' });
      cc.send(id, { ...msg, controlType: 'DISCONNECT', clientMessageId: 'b' });
    }
    expect(cc.sessionCount).toBe(MAX_ENDED_SESSIONS);
    expect(cc.findStream('demo', 'many-0')).toBeUndefined();
    expect(cc.findStream('demo', `many-${MAX_ENDED_SESSIONS + 499}`)).toBeDefined();
  }, 60_000);

  it('GET /mock/sessions is paged: limit, after and next', async () => {
    for (let i = 0; i < 5; i++) {
      const c = new Customer(`page-${i}`);
      await c.apply();
      await c.send('CONNECT');
    }
    const p1 = await call('GET', '/mock/sessions?limit=2');
    expect(p1.body.items.map((s: { userId: string }) => s.userId)).toEqual(['page-0', 'page-1']);
    expect(p1.body.total).toBe(5);
    const p2 = await call('GET', `/mock/sessions?limit=2&after=${p1.body.next}`);
    expect(p2.body.items.map((s: { userId: string }) => s.userId)).toEqual(['page-2', 'page-3']);
    const p3 = await call('GET', `/mock/sessions?limit=2&after=${p2.body.next}`);
    expect(p3.body).toMatchObject({ next: null });
    expect(p3.body.items.map((s: { userId: string }) => s.userId)).toEqual(['page-4']);
    expect((await call('GET', '/mock/sessions')).body.items).toHaveLength(5);
    expect((await call('GET', '/mock/sessions?limit=1001')).body).toMatchObject({ errorCode: 'sessions.limit.invalid', field: 'limit' });
    expect((await call('GET', '/mock/sessions?after=__proto__')).body).toMatchObject({ field: 'after' });
  });
});

describe('case 7: leaving a message', () => {
  const leave = (c: Customer) => call('POST', `${API}/doLeaveMessage`, { content: 'call me', contact: '123' }, { 'ccmessaging-token': c.token });

  it('is refused during work hours while the customer talks to the chatbot', async () => {
    const c = new Customer('lm-1');
    await c.apply();
    await c.send('CONNECT');
    const r = await leave(c);
    expect([r.status, r.body.errorCode]).toEqual([409, 'leaveMessage.notAllowed']);
    expect(cc.leftMessages).toEqual([]);
  });

  it('is accepted after a queue release, and outside work time', async () => {
    const c = new Customer('lm-2');
    await c.apply();
    await c.send('CONNECT');
    await c.send('TRANS2AGENT'); // nobody signed in: onNoAgents releases
    expect(cc.latestSession(cc.findStream('demo', 'lm-2')!)!.endReason).toBe('queue.noAgents');
    expect((await leave(c)).status).toBe(200);

    setUp((t) => (t.channels[0]!.workTime = { timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], workday: [{ start: '09:00', end: '18:00' }], nonWorkday: [], nonWorkingNotice: 'Closed.' }));
    clock.advance(9 * 3600_000); // 19:00 in Shanghai
    const late = new Customer('lm-3');
    await late.apply();
    expect((await leave(late)).status).toBe(200);
    expect(cc.leftMessages).toMatchObject([{ userId: 'lm-3', content: 'call me' }]);
  });
});

describe('case 9: fault settings cannot reach a prototype', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('a setting named %s is a 400 naming it', async (name) => {
    const r = await call('PUT', '/mock/faults', JSON.parse(`{"${name}": 1}`));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ errorCode: 'faults.invalid', field: name });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('a route named %s is a 400 naming route; no prototype changes', async (route) => {
    const r = await call('PUT', '/mock/faults', { route, errorRate: 1 });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ errorCode: 'faults.invalid', field: 'route' });
    expect(({} as Record<string, unknown>).errorRate).toBeUndefined();
    expect(Object.getPrototypeOf(cc.faults.routes)).toBeNull();
    expect(cc.faults.settings('send').errorRate).toBe(0);
  });

  it('a real route still takes its settings, shown as JSON', async () => {
    const r = await call('PUT', '/mock/faults', { route: 'send', latencyMs: 5 });
    expect(r.body.routes).toEqual({ send: { latencyMs: 5 } });
  });
});

describe('issue 17 case 7: click-to-dial calls the agent the customer chats with', () => {
  async function chattingWith(agent: string, userId: string) {
    cc.desk.signIn(agent);
    cc.desk.setReady(agent, true);
    const c = new Customer(userId);
    await c.apply();
    await c.send('CONNECT');
    await c.send('TRANS2AGENT');
    cc.desk.accept(agent);
    return c;
  }
  const dial = (c: Customer) => call('POST', `${API}/createClickToCall`, { mediaAbility: '0' }, { 'ccmessaging-token': c.token });

  it('rings the chatting agent when that agent can take calls; the agent API shows the call on whoever answers', async () => {
    // Alice can take calls: a versatile agent (the only kind that mixes media) of the click-to-dial queue.
    setUp((t) => {
      const alice = t.agents.find((a) => a.account === 'alice')!;
      alice.agentType = 'versatile';
      alice.skillQueues.push('WebCallback');
      t.allowances.versatileAgents += 1;
    });
    cc.desk.signIn('bob');
    const c = await chattingWith('alice', 'ctd-1');
    const created = await dial(c);
    expect(created.body.resultCode).toBe('0');
    expect(cc.desk.snapshot('alice').call).toMatchObject({ callId: created.body.callId, status: 'ringing', media: 'voice' });
    expect(cc.desk.snapshot('bob').call).toBeNull();
    await call('POST', '/mock/agents/alice/call/answer', {});
    const view = (await call('GET', '/mock/agents/alice')).body.agent;
    expect(view.call).toMatchObject({ callId: created.body.callId, status: 'connected' });
    expect(view.session.userId).toBe('ctd-1');
  });

  it('when the chatting agent cannot take calls, the click-to-dial queue answers — and its agent shows the call', async () => {
    cc.desk.signIn('bob');
    const c = await chattingWith('alice', 'ctd-2'); // alice is not in WebCallback
    const created = await dial(c);
    expect(cc.desk.snapshot('alice').call).toBeNull();
    expect(cc.desk.snapshot('bob').call).toMatchObject({ callId: created.body.callId, status: 'ringing' });
    await call('POST', '/mock/agents/bob/call/answer', {});
    expect((await call('GET', '/mock/agents/bob')).body.agent.call).toMatchObject({ status: 'connected', customerName: 'ctd-2' });
    await call('POST', '/mock/agents/bob/call/hang-up', {});
    expect(cc.desk.snapshot('bob').call).toBeNull();
  });
});
