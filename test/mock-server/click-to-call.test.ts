/** Click-to-dial in the mock, through its routes: every outcome, on the mock clock. */
import { getResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedTenant } from '../../mock-server/config/seed.js';
import { TenantStore } from '../../mock-server/config/store.js';
import type { Tenant } from '../../mock-server/config/types.js';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';

let cc: ContactCenter;
let handlers: ReturnType<typeof createHandlers>;
function setUp(edit: (t: Tenant) => void = () => {}) {
  cc = new ContactCenter({
    clock: new Clock('manual', Date.parse('2026-11-25T03:00:00Z')),
    store: new TenantStore(() => {
      const t = seedTenant();
      edit(t);
      return t;
    }),
  });
  handlers = createHandlers(cc, { servedBy: 'node' });
}
beforeEach(() => setUp());

async function call(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['ccmessaging-token'] = token;
  const res = (await getResponse(handlers, new Request(`http://mock.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })))!;
  return { status: res.status, body: await res.json() };
}
const api = (p: string) => `/apiaccess/ccmessaging${p}`;
async function customer(userId: string) {
  const { body } = await call('POST', api('/applyToken'), { channelId: 'demo', userId });
  await call('POST', api('/send'), { controlType: 'CONNECT', content: '', clientMessageId: `${userId}-1` }, body.token);
  return body.token as string;
}
const events = async (token: string, callId: string, cursor = 0, wait = 0) => (await call('GET', api(`/getClickToCallEvents?callId=${callId}&cursor=${cursor}&wait=${wait}`), undefined, token)).body;

describe('click-to-dial (mock)', () => {
  it('rings on a signed-in agent of the click-to-dial queue; answered, then dropped by the customer', async () => {
    cc.desk.signIn('bob');
    const t = await customer('call-1');
    const created = await call('POST', api('/createClickToCall'), { mediaAbility: '0' }, t);
    expect(created.body).toMatchObject({ resultCode: '0', callId: expect.any(String) });
    const id = created.body.callId;
    expect((await call('GET', '/mock/agents/bob/call')).body.call).toMatchObject({ callId: id, status: 'ringing', media: 'voice' });
    await call('POST', '/mock/agents/bob/call/answer', {});
    await call('POST', api('/dropClickToCall'), { callId: id }, t);
    const all = await events(t, id);
    expect(all.events.map((e: { type: string; cause?: string }) => [e.type, e.cause])).toEqual([
      ['ringing', undefined],
      ['connected', undefined],
      ['ended', 'customer'],
    ]);
    expect(all.cursor).toBe(3);
    const transcript = cc.findStream('demo', 'call-1')!.messages.map((m) => m.content);
    expect(transcript).toEqual(expect.arrayContaining(['Voice call connected.', 'Call ended.']));
  });

  it('answers resultCode 13 when no agent can take it, and refuses a medium the channel does not offer', async () => {
    const t = await customer('call-2');
    expect((await call('POST', api('/createClickToCall'), { mediaAbility: '0' }, t)).body.resultCode).toBe('13');
    const video = await call('POST', api('/createClickToCall'), { mediaAbility: '1' }, t);
    expect([video.status, video.body.errorCode, video.body.field]).toEqual([400, 'call.media.notEnabled', 'mediaAbility']);
  });

  it('ends unanswered calls after 30 s, rejected ones at once, and agent hang-ups with their cause', async () => {
    cc.desk.signIn('bob');
    const t = await customer('call-3');
    const a = (await call('POST', api('/createClickToCall'), { mediaAbility: '0' }, t)).body.callId;
    cc.clock.advance(30_000);
    expect((await events(t, a)).events.at(-1)).toMatchObject({ type: 'ended', cause: 'noAnswer' });
    const b = (await call('POST', api('/createClickToCall'), { mediaAbility: '0' }, t)).body.callId;
    await call('POST', '/mock/agents/bob/call/reject', {});
    expect((await events(t, b)).events.at(-1)).toMatchObject({ cause: 'rejected' });
    const c = (await call('POST', api('/createClickToCall'), { mediaAbility: '0' }, t)).body.callId;
    await call('POST', '/mock/agents/bob/call/answer', {});
    await call('POST', '/mock/agents/bob/call/hang-up', {});
    expect((await events(t, c)).events.at(-1)).toMatchObject({ cause: 'agent' });
  });

  it('IVR calls connect by themselves; one active call per customer; nobody reads another’s call', async () => {
    setUp((t) => (t.channels[0]!.clickToDial = { calledParty: 'ivr', ivrAccessCode: '9001', media: ['voice'] }));
    const t = await customer('call-4');
    const id = (await call('POST', api('/createClickToCall'), { mediaAbility: '0' }, t)).body.callId;
    expect((await call('POST', api('/createClickToCall'), { mediaAbility: '0' }, t)).body.errorCode).toBe('call.alreadyActive');
    const pending = events(t, id, 1, 25);
    cc.clock.advance(2000);
    expect((await pending).events).toMatchObject([{ type: 'connected' }]);
    const other = await customer('call-5');
    expect((await call('GET', api(`/getClickToCallEvents?callId=${id}`), undefined, other)).status).toBe(403);
    expect((await call('POST', api('/dropClickToCall'), { callId: id }, other)).status).toBe(403);
  });

  it('a long poll for events ends after its wait on the mock clock', async () => {
    cc.desk.signIn('bob');
    const t = await customer('call-6');
    const id = (await call('POST', api('/createClickToCall'), { mediaAbility: '0' }, t)).body.callId;
    const pending = events(t, id, 1, 10);
    await new Promise((r) => setTimeout(r, 20)); // let the request reach its wait
    expect(cc.clock.pendingTimers()).toBeGreaterThan(1);
    cc.clock.advance(10_000);
    expect((await pending).events).toEqual([]);
  });
});
